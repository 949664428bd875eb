#pragma once
// Vectorisable exp, tanh, sigmoid and softplus for float arrays. libm's scalar expf/tanhf were
// most of a Playground training step; these are branch-free so GCC turns the loops into SIMD code.
// Accuracy (tests/core/vmath_test.cpp): exp within 4 ulp over [-87, 88]; tanh and sigmoid
// within 1e-6 absolute, tanh within 1e-6 relative near 0 and never beyond [-1, 1].
#include <bit>
#include <cstddef>
#include <cstdint>

namespace netlens::vmath {

// e^x = 2^n e^r with n = round(x / ln 2) and |r| <= ln 2 / 2; e^r by a degree-6 polynomial,
// 2^n by writing n into the float's exponent field.
inline float exp(float x) {
  x = x < -87.3f ? -87.3f : (x > 88.3f ? 88.3f : x);  // keeps 2^n a normal float
  constexpr float kLog2e = 1.44269504f, kLn2Hi = 0.693359375f, kLn2Lo = -2.12194440e-4f;
  constexpr float kRound = 12582912.0f;  // 1.5 * 2^23: adding it rounds to an integer
  const float t = x * kLog2e + kRound;
  const float n = t - kRound;
  const float r = (x - n * kLn2Hi) - n * kLn2Lo;
  float p = 1.3981999507e-3f;  // Cephes' expf polynomial (near Taylor's 1/720, 1/120, ...)
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  const auto bits = std::bit_cast<std::int32_t>(t) - std::bit_cast<std::int32_t>(kRound);  // = n
  const float scale = std::bit_cast<float>((bits + 127) << 23);
  return p * scale;
}

// tanh x = x P(x^2) / Q(x^2) on [-9, 9], degrees 5 and 3, fitted for netlens by weighted least
// squares toward the minimax error (about 4e-7); beyond 9, tanh is 1 to float precision. The
// result is clamped to [-1, 1] so 1 - y^2 (its derivative) never goes negative.
inline float tanh(float x) {
  x = x < -9.0f ? -9.0f : (x > 9.0f ? 9.0f : x);
  const float u = x * x;
  float p = 1.946006377e-11f;
  p = p * u - 1.332612598e-08f;
  p = p * u + 9.472159945e-06f;
  p = p * u + 2.944822656e-03f;
  p = p * u + 1.294210702e-01f;
  p = p * u + 9.999999404e-01f;
  float q = 2.313330624e-04f;
  q = q * u + 2.386324294e-02f;
  q = q * u + 4.627541006e-01f;
  q = q * u + 1.0f;
  const float y = x * p / q;
  return y < -1.0f ? -1.0f : (y > 1.0f ? 1.0f : y);
}

inline float sigmoid(float x) { return 1.0f / (1.0f + vmath::exp(-x)); }

// log(1 + t) for t in [0, 1] only, within a few ulp relative (also for tiny t, where computing
// 1 + t first would lose t): log1p t = 2 atanh s with s = t / (2 + t) in [0, 1/3], and
// atanh s = s + s^3/3 + s^5/5 + ..., summed through s^13/13 (the rest is < 2e-8 relative).
inline float log1p_unit(float t) {
  const float s = t / (2.0f + t);
  const float z = s * s;
  float p = 1.0f / 13;
  p = p * z + 1.0f / 11;
  p = p * z + 1.0f / 9;
  p = p * z + 1.0f / 7;
  p = p * z + 1.0f / 5;
  p = p * z + 1.0f / 3;
  return 2.0f * s + 2.0f * s * z * p;
}

// softplus x = log(1 + e^x) = max(x, 0) + log1p(e^-|x|): never overflows, and keeps its relative
// accuracy for very negative x, where it is e^x.
inline float softplus(float x) {
  const float ax = x < 0.0f ? -x : x;
  return (x > 0.0f ? x : 0.0f) + log1p_unit(vmath::exp(-ax));
}

}  // namespace netlens::vmath
