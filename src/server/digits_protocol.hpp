#pragma once
// The Digits protocol at /ws/digits, version 1 (docs/protocol.md, "Digits"): commands parsed from
// the client's JSON text and the server's messages, JSON text or binary tensor frames. Pure
// functions, no I/O.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/tensor.hpp"

namespace netlens::server {

inline constexpr int kDigitsProtocolVersion = 1;
inline constexpr std::size_t kMaxDigitsPixels = 256 * 256;  // largest image an infer may send

enum class DigitsCommandType { Infer, Sample, Train, Stop, Load, Checkpoint };

struct DigitsCommand {
  DigitsCommandType type;
  int width = 0, height = 0;  // infer
  std::vector<float> pixels;  // infer: height * width values in [0, 1], row-major
  int label = 0;              // sample
  std::string data, model;    // train, load: "mnist" | "fashion-mnist", "mlp" | "cnn"
  int index = -1;             // checkpoint: which one to show, -1 for the current weights
};

// Throws Error naming the field: not JSON, no "type", an unknown type, bad pixels, label,
// data or model. Unknown fields are ignored.
DigitsCommand parse_digits_command(std::string_view text);

// A tensor frame: 4 ASCII bytes (`magic`), uint32 LE seq, uint32 LE count, then per tensor
// uint32 LE rank, rank uint32 LE dims, and the float32 LE values (row-major).
std::string encode_tensors(const char (&magic)[5], std::uint32_t seq, const std::vector<const Tensor*>& tensors);

}  // namespace netlens::server
