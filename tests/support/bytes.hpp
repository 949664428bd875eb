#pragma once
// Reading the little-endian fields of a binary message in tests.
#include <cstdint>
#include <cstring>
#include <string>

namespace netlens::test {

inline std::uint32_t u32_at(const std::string& bytes, std::size_t at) {
  std::uint32_t v;
  std::memcpy(&v, bytes.data() + at, 4);
  return v;
}

}  // namespace netlens::test
