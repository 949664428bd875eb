#pragma once
// Vectors of 16 floats for the convolution and pooling kernels: GCC vector types (one AVX-512
// register here), with loads and stores of the first n < 16 lanes for the ends of rows. With
// AVX-512 those are masked moves; without, a copy through the stack (correct, slower: with
// the stack copy the 2x2 max-pool was 38 % of W5's profile here, with masked moves 8 to 11 %).
#include <cstddef>
#include <cstring>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace netlens::nn::simd16 {

constexpr int kLanes = 16;
using V16 = float __attribute__((vector_size(64)));
using M16 = int __attribute__((vector_size(64)));

inline V16 load(const float* p) {
  V16 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store(float* p, V16 v) { std::memcpy(p, &v, sizeof v); }
// Spelled out: V16{} + f would add 0.0f first (exact IEEE arithmetic) before broadcasting.
inline V16 splat(float f) { return V16{f, f, f, f, f, f, f, f, f, f, f, f, f, f, f, f}; }

// The first n lanes (0 <= n <= 16) from p, zeros in the others; nothing past p + n is read.
inline V16 load_n(const float* p, int n) {
#if defined(__AVX512F__)
  return reinterpret_cast<V16>(_mm512_maskz_loadu_ps(static_cast<__mmask16>((1u << n) - 1u), p));
#else
  float lanes[kLanes] = {};
  std::memcpy(lanes, p, sizeof(float) * static_cast<std::size_t>(n));
  return load(lanes);
#endif
}

// Writes the first n lanes (0 <= n <= 16) of v to p; nothing past p + n is written.
inline void store_n(float* p, V16 v, int n) {
#if defined(__AVX512F__)
  _mm512_mask_storeu_ps(p, static_cast<__mmask16>((1u << n) - 1u), reinterpret_cast<__m512>(v));
#else
  float lanes[kLanes];
  store(lanes, v);
  std::memcpy(p, lanes, sizeof(float) * static_cast<std::size_t>(n));
#endif
}

// dst[0..n) = src[0..n) and dst[0..n) = 0 for the short rows of these kernels, where a call
// to memmove or memset costs more than the copy.
inline void copy_row(float* dst, const float* src, int n) {
  for (int i = 0; i < n; i += kLanes) store_n(dst + i, load_n(src + i, n - i < kLanes ? n - i : kLanes), n - i < kLanes ? n - i : kLanes);
}
inline void zero_row(float* dst, int n) {
  for (int i = 0; i < n; i += kLanes) store_n(dst + i, V16{}, n - i < kLanes ? n - i : kLanes);
}

}  // namespace netlens::nn::simd16
