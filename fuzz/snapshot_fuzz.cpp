// Fuzz target: the bytes of a Timeline snapshot file, read by train::decode_snapshot. Any input
// must either give a snapshot whose weights the file holds or throw netlens::Error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/error.hpp"
#include "train/snapshot.hpp"

using namespace netlens;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    const train::Snapshot s = train::decode_snapshot(bytes, "fuzz.snap");
    if (s.weights.size() * 2 + train::kSnapshotHeaderBytes > size) std::abort();  // float16: 2 bytes each
  } catch (const Error&) {
  }
  return 0;
}
