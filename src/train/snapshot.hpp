#pragma once
// Snapshot: a network's weights at one moment of a run, with where the run was (examples seen,
// steps, epochs) and its losses. On disk (docs/run-format.md): a 56-byte little-endian header,
//   0 "NLSN"  4 u32 version (1)  8 u64 examples  16 u64 steps  24 u32 epoch
//   28 u32 parameter count P  32 f64 train loss  40 f64 test loss  48 u32 CRC-32 of the
//   weights  52 u32 reserved (0)
// then the P weights as IEEE float16 (u16 LE), in the order of Network::params(), each tensor
// row-major. Readers check the magic, version, size and CRC, and name the file when refusing it.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "nn/network.hpp"

namespace netlens::train {

struct Snapshot {
  long examples = 0;  // training examples seen
  long steps = 0;
  int epoch = 0;  // epochs completed
  double train_loss = 0, test_loss = 0;
  std::vector<float> weights;  // every parameter, rounded to float16 when written
};

inline constexpr std::size_t kSnapshotHeaderBytes = 56;
inline constexpr std::uint32_t kSnapshotVersion = 1;

std::vector<float> capture_weights(nn::Network& network);
// Throws Error("where: ...") when the count differs from the network's.
void restore_weights(nn::Network& network, const std::vector<float>& weights, const std::string& where);

std::string encode_snapshot(const Snapshot& snapshot);
Snapshot decode_snapshot(std::string_view bytes, const std::string& where);  // throws Error("where: reason")
void write_snapshot(const std::filesystem::path& path, const Snapshot& snapshot);  // atomically
Snapshot read_snapshot(const std::filesystem::path& path);  // throws Error("PATH: reason")

}  // namespace netlens::train
