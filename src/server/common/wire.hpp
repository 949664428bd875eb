#pragma once
// The wire format every view shares (docs/protocol.md, "Every view"): the limits on a client's
// messages, the hello header, the error reply, the tensor frame and the domain object. Pure
// functions, no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/tensor.hpp"
#include "probe/output_grid.hpp"

namespace netlens::server {

inline constexpr std::size_t kMaxMessageBytes = 1 << 20;          // the largest message a client may send
inline constexpr std::size_t kMaxDrainedMessageBytes = 64 << 20;  // larger ones than this close the socket

// The first message on every connection: {"type":"hello","view":VIEW,"protocol":N,"version":V};
// a view adds its own fields. The page refuses a protocol it does not speak.
nlohmann::json hello_header(std::string_view view, int protocol);

// {"type":"error","command":COMMAND,"message":MESSAGE}: `command` is the "type" of the client
// message this answers, null when it answers none (a message that could not be read, a failure
// of the run itself). Bytes that are not UTF-8 are replaced (a message may quote a client's input).
std::string error_message(std::optional<std::string_view> command, std::string_view message);

// A tensor frame: 4 ASCII bytes (`magic`), uint32 LE seq, uint32 LE count, then per tensor
// uint32 LE rank, rank uint32 LE dims, and the float32 LE values (row-major).
std::string encode_tensors(const char (&magic)[5], std::uint32_t seq, const std::vector<const Tensor*>& tensors);

// {"x_min":..,"x_max":..,"y_min":..,"y_max":..}
nlohmann::json domain_json(const probe::Domain& domain);

}  // namespace netlens::server
