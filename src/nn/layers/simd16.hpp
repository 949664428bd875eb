#pragma once
// Vectors of 16 floats for the convolution and pooling kernels: GCC vector types (one AVX-512
// register, or two AVX ones that GCC pairs up), with loads and stores of the first n < 16
// lanes for the ends of rows. Those are masked moves (AVX-512's, or AVX's vmaskmov on each
// half); without AVX, a copy through the stack (correct, slower: with the stack copy the 2x2
// max-pool was 38 % of W5's profile on an AVX-512 machine, with masked moves 8 to 11 %).
#include <cstddef>
#include <cstring>
#include <utility>

#if defined(__AVX512F__) || defined(__AVX__)
#include <immintrin.h>
#endif

namespace netlens::nn::simd16 {

constexpr int kLanes = 16;
using V16 = float __attribute__((vector_size(64)));
using M16 = int __attribute__((vector_size(64)));

// Vector registers (of kNativeLanes floats, below): 32 with AVX-512, 16 with AVX2 or SSE. The
// convolution sizes its register tiles by it: a tile that overflows it spills on every tap.
#if defined(__AVX512F__)
constexpr int kRegisters = 32;
#else
constexpr int kRegisters = 16;
#endif

#if defined(__AVX__) && !defined(__AVX512F__)
// half_mask(n, h): vmaskmov's mask for lanes 8h .. 8h + 8 of a V16 whose first n lanes are
// wanted (0 <= n <= 16): -1 for a lane below n, 0 above.
alignas(64) inline constexpr int kLaneMasks[32] = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                                   0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0};
inline __m256i half_mask(int n, int half) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kLaneMasks + 16 - n + 8 * half));
}
#endif

// The widest vector the compiler targets, for the convolution's register tiles: GCC keeps an
// array of V16 accumulators on the stack when a V16 is two AVX registers (every FMA of the
// 4 x 2 tile read and wrote memory, 3 % of the core's peak), and in registers when it is one.
#if defined(__AVX512F__)
constexpr int kNativeLanes = 16;
#elif defined(__AVX__)
constexpr int kNativeLanes = 8;
#else
constexpr int kNativeLanes = 4;
#endif
using VN = float __attribute__((vector_size(4 * kNativeLanes)));

// Loads, stores and broadcasts of a V16 or a VN (load<VN>(p)).
template <class V = V16>
inline V load(const float* p) {
  V v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <class V>
inline void store(float* p, V v) {
  std::memcpy(p, &v, sizeof v);
}
// Every lane f, as one initializer of equal lanes (GCC makes it one vbroadcastss). V{} + f would
// add 0.0f first, turning -0.0f into 0; a loop storing lane by lane became 16 masked broadcasts
// per call with AVX-512 (GCC 12), which made the convolution's taps five times slower.
template <class V, std::size_t... I>
inline V splat_lanes(float f, std::index_sequence<I...>) {
  return V{((void)I, f)...};
}
template <class V = V16>
inline V splat(float f) {
  return splat_lanes<V>(f, std::make_index_sequence<sizeof(V) / sizeof(float)>());
}

// Writes the first n lanes of a VN (0 <= n <= kNativeLanes) to p; nothing past p + n is written.
// With AVX-512 one masked store; else plain stores of 8, 4, 2 and 1 lanes by the bits of n (the
// ends of rows repeat the same n, so the branches are predicted), as AVX's masked store is slow
// on AMD Zen (see store_n). Through the stack with AVX-512, the row ends of W5's first layer
// (26 outputs: a vector of 16 and one of 10) cost its forward pass a third of its time.
inline void store_first(float* p, VN v, int n) {
#if defined(__AVX512F__)
  _mm512_mask_storeu_ps(p, static_cast<__mmask16>((1u << n) - 1u), reinterpret_cast<__m512>(v));
#else
  if (n == kNativeLanes) {
    store(p, v);
    return;
  }
  float at[kNativeLanes];
  store(at, v);
  int i = 0;
  for (int piece = kNativeLanes / 2; piece >= 1; piece /= 2)
    if (n & piece) std::memcpy(p + i, at + i, sizeof(float) * static_cast<std::size_t>(piece)), i += piece;
#endif
}

// The first n lanes (0 <= n <= 16) from p, zeros in the others; nothing past p + n is read.
inline V16 load_n(const float* p, int n) {
#if defined(__AVX512F__)
  return reinterpret_cast<V16>(_mm512_maskz_loadu_ps(static_cast<__mmask16>((1u << n) - 1u), p));
#elif defined(__AVX__)
  // Masked-off lanes are not read (no fault past p + n) and come back as zeros.
  const __m256 lo = _mm256_maskload_ps(p, half_mask(n, 0)), hi = _mm256_maskload_ps(p + 8, half_mask(n, 1));
  V16 v;
  std::memcpy(&v, &lo, sizeof lo);
  std::memcpy(reinterpret_cast<char*>(&v) + sizeof lo, &hi, sizeof hi);
  return v;
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
  // AVX's masked store (vmaskmovps) is slower on AMD Zen: it made the 2x2 max-pool's dx half as
  // fast again (kernels_bench); plain stores in pieces instead.
  for (int at = 0; at < n; at += kNativeLanes) {
    VN part;
    std::memcpy(&part, reinterpret_cast<const char*>(&v) + sizeof(float) * static_cast<std::size_t>(at), sizeof part);
    store_first(p + at, part, n - at < kNativeLanes ? n - at : kNativeLanes);
  }
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
