#include "train/snapshot.hpp"

#include <zlib.h>

#include <bit>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/float16.hpp"

namespace netlens::train {

namespace {

constexpr char kMagic[4] = {'N', 'L', 'S', 'N'};

void put(std::string& out, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFFu));
}

std::uint64_t get(std::string_view in, std::size_t offset, int bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < bytes; ++i)
    value |= static_cast<std::uint64_t>(static_cast<unsigned char>(in[offset + static_cast<std::size_t>(i)])) << (8 * i);
  return value;
}

std::uint32_t crc_of(std::string_view bytes) {
  return static_cast<std::uint32_t>(
      crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}

}  // namespace

std::vector<float> capture_weights(nn::Network& network) {
  std::vector<float> weights;
  for (const nn::Param& p : network.params()) weights.insert(weights.end(), p.value->values().begin(), p.value->values().end());
  return weights;
}

void restore_weights(nn::Network& network, const std::vector<float>& weights, const std::string& where) {
  std::size_t total = 0;
  for (const nn::Param& p : network.params()) total += p.value->size();
  if (total != weights.size())
    throw Error(where, "holds " + std::to_string(weights.size()) + " weights, the run's network has " +
                           std::to_string(total));
  std::size_t offset = 0;
  for (const nn::Param& p : network.params()) {
    std::copy_n(weights.begin() + static_cast<std::ptrdiff_t>(offset), p.value->size(), p.value->data());
    offset += p.value->size();
  }
}

std::string encode_snapshot(const Snapshot& s) {
  std::vector<std::uint16_t> halves(s.weights.size());
  floats_to_halves(s.weights.data(), s.weights.size(), halves.data());
  std::string payload;
  payload.reserve(2 * halves.size());
  for (std::uint16_t h : halves) put(payload, h, 2);

  std::string out(kMagic, sizeof kMagic);
  put(out, kSnapshotVersion, 4);
  put(out, static_cast<std::uint64_t>(s.examples), 8);
  put(out, static_cast<std::uint64_t>(s.steps), 8);
  put(out, static_cast<std::uint32_t>(s.epoch), 4);
  put(out, s.weights.size(), 4);
  put(out, std::bit_cast<std::uint64_t>(s.train_loss), 8);
  put(out, std::bit_cast<std::uint64_t>(s.test_loss), 8);
  put(out, crc_of(payload), 4);
  put(out, 0, 4);
  return out + payload;
}

Snapshot decode_snapshot(std::string_view in, const std::string& where) {
  if (in.size() < kSnapshotHeaderBytes)
    throw Error(where, "truncated snapshot: " + std::to_string(in.size()) + " bytes, shorter than the " +
                           std::to_string(kSnapshotHeaderBytes) + "-byte header");
  if (std::memcmp(in.data(), kMagic, sizeof kMagic) != 0) throw Error(where, "not a netlens snapshot (no NLSN magic)");
  const auto version = get(in, 4, 4);
  if (version != kSnapshotVersion)
    throw Error(where, "snapshot version " + std::to_string(version) + " is not supported (this netlens reads " +
                           std::to_string(kSnapshotVersion) + ")");
  const auto count = get(in, 28, 4);
  const std::size_t expected = kSnapshotHeaderBytes + 2 * count;
  if (in.size() != expected)
    throw Error(where, std::string(in.size() < expected ? "truncated" : "corrupt") + " snapshot: the header promises " +
                           std::to_string(count) + " weights (" + std::to_string(expected) + " bytes), the file has " +
                           std::to_string(in.size()) + " bytes");
  const std::string_view payload = in.substr(kSnapshotHeaderBytes);
  if (crc_of(payload) != get(in, 48, 4)) throw Error(where, "corrupt snapshot: the weights fail their CRC-32 check");

  Snapshot s;
  s.examples = static_cast<long>(get(in, 8, 8));
  s.steps = static_cast<long>(get(in, 16, 8));
  s.epoch = static_cast<int>(get(in, 24, 4));
  s.train_loss = std::bit_cast<double>(get(in, 32, 8));
  s.test_loss = std::bit_cast<double>(get(in, 40, 8));
  s.weights.resize(count);
  for (std::size_t i = 0; i < count; ++i) s.weights[i] = half_to_float(static_cast<std::uint16_t>(get(payload, 2 * i, 2)));
  return s;
}

void write_snapshot(const std::filesystem::path& path, const Snapshot& snapshot) {
  write_file_atomically(path, encode_snapshot(snapshot));
}

Snapshot read_snapshot(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string(), "cannot open snapshot file");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return decode_snapshot(bytes.str(), path.string());
}

}  // namespace netlens::train
