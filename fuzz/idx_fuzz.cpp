// Fuzz target: data::read_idx on a file of the input's bytes. The first byte picks how the file
// is written: 0 plain, 1 gzip-compressed (so the fuzzer explores IDX headers through zlib),
// 2 the bytes as they are under a ".gz" name (corrupt gzip streams). Any input must either read
// within the limits or throw netlens::Error.
#include <unistd.h>
#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include "core/error.hpp"
#include "data/idx.hpp"

using namespace netlens;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const int mode = data[0] % 3;
  const auto* bytes = data + 1;
  const auto n = size - 1;
  static const std::string base = "/tmp/netlens_fuzz_idx_" + std::to_string(getpid());
  const std::string path = base + (mode == 0 ? ".idx" : ".idx.gz");
  if (mode == 1) {
    gzFile f = gzopen(path.c_str(), "wb");
    if (!f) std::abort();
    if (n) gzwrite(f, bytes, static_cast<unsigned>(n));
    gzclose(f);
  } else {
    std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(bytes),
                                                                 static_cast<std::streamsize>(n));
  }
  try {
    const data::IdxArray a = data::read_idx(path);
    std::size_t count = 1;
    for (int d : a.dims) count *= static_cast<std::size_t>(d);
    if (a.dims.empty() || count != a.values.size() || count > data::kMaxIdxBytes) std::abort();
  } catch (const Error&) {
  }
  std::remove(path.c_str());
  return 0;
}
