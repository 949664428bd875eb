#include "core/float16.hpp"

#include <bit>

namespace netlens {

std::uint16_t float_to_half(float value) {
  const auto f = std::bit_cast<std::uint32_t>(value);
  const auto sign = static_cast<std::uint16_t>((f >> 16) & 0x8000u);
  const std::uint32_t exponent = (f >> 23) & 0xFFu;  // float bias 127
  std::uint32_t mantissa = f & 0x7FFFFFu;
  if (exponent == 0xFF)  // infinity, or NaN with a quiet bit so that it stays a NaN
    return static_cast<std::uint16_t>(sign | 0x7C00u | (mantissa ? 0x200u | (mantissa >> 13) : 0u));
  const int e = static_cast<int>(exponent) - 127 + 15;  // the half's biased exponent
  if (e >= 31) return static_cast<std::uint16_t>(sign | 0x7C00u);
  int shift;  // how many low bits of the 24-bit significand the half drops
  std::uint32_t base;
  if (e >= 1) {
    shift = 13;
    base = static_cast<std::uint32_t>(e) << 10;
  } else {  // subnormal half: the significand (with its implicit 1) shifts further right
    if (e < -10) return sign;  // below half the smallest subnormal (2^-25): rounds to 0
    mantissa |= 0x800000u;
    shift = 14 - e;
    base = 0;
  }
  // Round to nearest, ties to even; a carry out of the fraction correctly bumps the exponent
  // (and turns 65520.. into infinity, 0x7C00).
  const std::uint32_t kept = mantissa >> shift;
  const std::uint32_t rest = mantissa & ((1u << shift) - 1);
  const std::uint32_t half_way = 1u << (shift - 1);
  std::uint32_t h = base + kept;
  if (rest > half_way || (rest == half_way && (kept & 1u))) ++h;
  return static_cast<std::uint16_t>(sign | h);
}

float half_to_float(std::uint16_t half) {
  const std::uint32_t sign = static_cast<std::uint32_t>(half & 0x8000u) << 16;
  const std::uint32_t exponent = (half >> 10) & 0x1Fu;
  std::uint32_t mantissa = half & 0x3FFu;
  std::uint32_t f;
  if (exponent == 0x1F) {
    f = sign | 0x7F800000u | (mantissa << 13);
  } else if (exponent != 0) {
    f = sign | ((exponent - 15 + 127) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {
    f = sign;
  } else {  // subnormal half: normalise it, value = mantissa * 2^-24
    int e = -1;
    do {
      mantissa <<= 1;
      ++e;
    } while (!(mantissa & 0x400u));
    f = sign | (static_cast<std::uint32_t>(127 - 15 - e) << 23) | ((mantissa & 0x3FFu) << 13);
  }
  return std::bit_cast<float>(f);
}

void floats_to_halves(const float* in, std::size_t n, std::uint16_t* out) {
  for (std::size_t i = 0; i < n; ++i) out[i] = float_to_half(in[i]);
}

void halves_to_floats(const std::uint16_t* in, std::size_t n, float* out) {
  for (std::size_t i = 0; i < n; ++i) out[i] = half_to_float(in[i]);
}

}  // namespace netlens
