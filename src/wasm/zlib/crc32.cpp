#include "zlib.h"

#include <array>
#include <cstdint>

namespace {

constexpr std::array<std::uint32_t, 256> kCrcTable = [] {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t n = 0; n < 256; ++n) {
    std::uint32_t c = n;
    for (int k = 0; k < 8; ++k) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
  return table;
}();

}  // namespace

// crc32(0, Z_NULL, 0) is 0, the start value, as zlib's.
uLong crc32(uLong crc, const Bytef* bytes, uInt size) {
  if (bytes == nullptr) return 0;
  std::uint32_t c = static_cast<std::uint32_t>(crc) ^ 0xFFFFFFFFu;
  for (uInt i = 0; i < size; ++i) c = kCrcTable[(c ^ bytes[i]) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}
