#pragma once
// The live protocol, version 1 (docs/protocol.md): commands parsed from the client's JSON text,
// and the server's messages encoded, JSON text or the binary heatmap. Pure functions, no I/O.
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "probe/output_grid.hpp"
#include "train/run_spec.hpp"
#include "train/session.hpp"

namespace netlens::server {

inline constexpr int kProtocolVersion = 1;
inline constexpr std::size_t kMaxMessageBytes = 1 << 20;  // largest message a client may send
inline constexpr std::size_t kMaxDrainedMessageBytes = 64 << 20;  // larger ones than this close the socket

enum class CommandType { Play, Pause, Step, Reset, SetSpec };

struct Command {
  CommandType type;
  nlohmann::json spec;  // set_spec only: the object of run-spec keys to replace
};

// Reads one client text message. Throws Error saying what is wrong: not JSON, not an object,
// no string "type", an unknown type, set_spec without an object "spec". Other fields are ignored.
Command parse_command(std::string_view text);

// The reply to a message the server refuses (the connection stays open).
std::string error_message(std::string_view message);
// The first message on a connection.
std::string hello_message();
// The whole validated run spec, the heatmap's domain and its grid size.
std::string spec_message(const train::RunSpec& spec, const probe::Domain& domain, int grid);
// The session's points as [x1, x2, label], each float written in its shortest exact form.
std::string data_message(const train::Session& session);
// A frame's JSON half; losses that are not finite become null.
std::string state_message(std::uint32_t seq, bool running, const train::Metrics& metrics);

// A frame's binary half: "NLHM", uint32 LE seq, uint32 LE width, uint32 LE height, then
// width * height float32 LE values, row-major (row 0 is y_max).
std::string encode_heatmap(std::uint32_t seq, int width, int height, const float* values);

}  // namespace netlens::server
