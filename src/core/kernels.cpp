#include "core/kernels.hpp"

#include "core/parallel.hpp"

#include <cblas.h>

#include <algorithm>
#include <cstring>
#include <type_traits>

namespace netlens::kernels {

using parallel::parallel_for;

namespace {

constexpr int kTile = 16;  // widest column tile: one AVX-512 or two AVX2 registers
constexpr int kRows = 8;   // rows per pass, so each loaded B row feeds eight FMAs

// Work is shared between threads only in blocks of at least this many multiply-adds, so the
// hand-over (a microsecond or two) stays small beside the work.
constexpr long kParallelMinMacs = 128L * 1024;

std::size_t rows_per_thread(int cols, int depth) {
  return static_cast<std::size_t>(std::max(1L, kParallelMinMacs / std::max(1L, long(cols) * depth)));
}

// One BLAS thread: parallel_for shares the work, and BLAS threads on top would oversubscribe.
const bool kSerialBlas = (openblas_set_num_threads(1), true);

// BLAS pays once every side is wide; a 2-input or 1-output layer is better served by hand.
bool use_blas(int B, int I, int O) {
  return std::min({B, I, O}) >= kBlasMinSide && long(B) * I * O >= kBlasMinMacs;
}

// N floats as one GCC vector (a register of that width, or several on narrower machines).
// Spelled out per width: GCC ignores vector_size on a type that depends on a template parameter.
template <int N>
struct Lanes;
template <>
struct Lanes<16> {
  using type = float __attribute__((vector_size(64)));
};
template <>
struct Lanes<8> {
  using type = float __attribute__((vector_size(32)));
};
template <>
struct Lanes<4> {
  using type = float __attribute__((vector_size(16)));
};
template <>
struct Lanes<2> {
  using type = float __attribute__((vector_size(8)));
};
template <>
struct Lanes<1> {
  using type = float;
};

template <class V>
V load(const float* p) {
  V v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// Where the products start: a bias per column (row-major layers), one per row (feature-major
// layers), or zero.
struct Init {
  const float* per_column = nullptr;
  const float* per_row = nullptr;
};

// C[r][j] = init + sum_k A(r, k) B[k][j] for R rows and N columns, A(r, k) = A[r * ar + k * ak].
// Each row's N accumulators are one vector, so the R of them stay in registers.
template <int R, int N>
void tile(const float* __restrict A, int ar, int ak, const float* __restrict Bm, int ldb, Init init,
          float* __restrict C, int ldc, int K) {
  using V = typename Lanes<N>::type;
  V acc[R];
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) {
    acc[r] = init.per_column ? load<V>(init.per_column) : V{};
    if (init.per_row) acc[r] += init.per_row[r];
  }
  for (int k = 0; k < K; ++k) {
    const V b = load<V>(Bm + static_cast<std::size_t>(k) * ldb);
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) acc[r] += A[r * ar + k * ak] * b;
  }
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) std::memcpy(C + static_cast<std::size_t>(r) * ldc, &acc[r], sizeof(V));
}

// Every column of R rows, in tiles of 16, then 8, 4, 2 and 1 columns.
template <int R>
void tile_row_block(const float* A, int ar, int ak, const float* Bm, int ldb, Init init, float* C, int ldc, int K,
                    int cols) {
  int j = 0;
  auto at = [&](auto width) {
    constexpr int w = decltype(width)::value;
    tile<R, w>(A, ar, ak, Bm + j, ldb, {init.per_column ? init.per_column + j : nullptr, init.per_row}, C + j, ldc, K);
    j += w;
  };
  while (j + kTile <= cols) at(std::integral_constant<int, kTile>());
  if (cols - j >= 8) at(std::integral_constant<int, 8>());
  if (cols - j >= 4) at(std::integral_constant<int, 4>());
  if (cols - j >= 2) at(std::integral_constant<int, 2>());
  if (cols - j >= 1) at(std::integral_constant<int, 1>());
}

// C (rows, cols) = init + A B with A(r, k) = A[r * ar + k * ak] and B (K, cols) row-major.
void small_gemm(const float* A, int ar, int ak, const float* Bm, Init init, float* C, int rows, int cols, int K) {
  auto rows_from = [&](int r) { return Init{init.per_column, init.per_row ? init.per_row + r : nullptr}; };
  int r = 0;
  for (; r + kRows <= rows; r += kRows)
    tile_row_block<kRows>(A + static_cast<std::size_t>(r) * ar, ar, ak, Bm, cols, rows_from(r),
                          C + static_cast<std::size_t>(r) * cols, cols, K, cols);
  for (; r < rows; ++r)
    tile_row_block<1>(A + static_cast<std::size_t>(r) * ar, ar, ak, Bm, cols, rows_from(r),
                      C + static_cast<std::size_t>(r) * cols, cols, K, cols);
}

// y = b + x . w over a contiguous w: a single-output layer with a long input (O = 1, I >= 32),
// in 16 lanes summed at the end. Short inputs go to small_gemm, which interleaves rows.
float dot_bias(const float* __restrict x, const float* __restrict w, float b, int I) {
  using V = Lanes<kTile>::type;
  V acc{};
  int i = 0;
  for (; i + kTile <= I; i += kTile) acc += load<V>(x + i) * load<V>(w + i);
  float s = b;
  for (; i < I; ++i) s += x[i] * w[i];
  for (int j = 0; j < kTile; ++j) s += acc[j];
  return s;
}

}  // namespace

void matmul_bias(const float* X, const float* W, const float* b, float* Y, int B, int I, int O) {
  // Rows are independent: each thread takes a block of them.
  parallel_for(B, rows_per_thread(I, O), [=](std::size_t n0, std::size_t n1) {
    const int rows = static_cast<int>(n1 - n0);
    const float* x = X + n0 * I;
    float* y = Y + n0 * O;
    if (use_blas(rows, I, O)) {
      for (int n = 0; n < rows; ++n) std::copy_n(b, O, y + static_cast<std::size_t>(n) * O);
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, O, I, 1.0f, x, I, W, O, 1.0f, y, O);
    } else if (O == 1 && I >= 2 * kTile) {
      for (int n = 0; n < rows; ++n) y[n] = dot_bias(x + static_cast<std::size_t>(n) * I, W, b[0], I);
    } else {
      small_gemm(x, I, 1, W, {b, nullptr}, y, rows, O, I);
    }
  });
}

// dW[i][o] = sum_n X[n][i] dY[n][o]
void matmul_at_b(const float* X, const float* dY, float* dW, int B, int I, int O) {
  // Rows of dW are independent: each thread takes a block of inputs i.
  parallel_for(I, rows_per_thread(B, O), [=](std::size_t i0, std::size_t i1) {
    const int rows = static_cast<int>(i1 - i0);
    if (use_blas(B, rows, O))
      cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, rows, O, B, 1.0f, X + i0, I, dY, O, 0.0f, dW + i0 * O, O);
    else
      small_gemm(X + i0, 1, I, dY, {}, dW + i0 * O, rows, O, B);  // A = X^T: A(i, n) = X[n * I + i]
  });
}

// dX[n][i] = sum_o dY[n][o] W[i][o]
void matmul_a_bt(const float* dY, const float* W, float* dX, int B, int I, int O) {
  parallel_for(B, rows_per_thread(I, O), [=](std::size_t n0, std::size_t n1) {
    const int rows = static_cast<int>(n1 - n0);
    if (use_blas(rows, I, O)) {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, I, O, 1.0f, dY + n0 * O, O, W, O, 0.0f, dX + n0 * I,
                  I);
      return;
    }
    for (std::size_t n = n0; n < n1; ++n) {
      const float* __restrict dy = dY + n * O;
      float* __restrict dx = dX + n * I;
      if (O == 1) {
        for (int i = 0; i < I; ++i) dx[i] = dy[0] * W[i];
        continue;
      }
      for (int i = 0; i < I; ++i) {
        const float* __restrict w = W + static_cast<std::size_t>(i) * O;
        float s = 0.0f;
        for (int o = 0; o < O; ++o) s += dy[o] * w[o];
        dx[i] = s;
      }
    }
  });
}

void column_sums(const float* dY, float* db, int B, int O) {
  std::fill_n(db, O, 0.0f);
  for (int n = 0; n < B; ++n)
    for (int o = 0; o < O; ++o) db[o] += dY[static_cast<std::size_t>(n) * O + o];
}

// Yt[o][n] = b[o] + sum_i W[i][o] Xt[i][n]: small_gemm with A = W^T (A(o, i) = W[i * O + o]).
void matmul_bias_feature_major(const float* Xt, const float* W, const float* b, float* Yt, int B, int I, int O) {
  if (O >= kRows) {
    small_gemm(W, 1, O, Xt, {nullptr, b}, Yt, O, B, I);
    return;
  }
  // Few units (an output layer): one streaming pass per input, y += W[i][o] x_i, instead of
  // tiles whose I-long chains of FMAs would wait on each other.
  for (int o = 0; o < O; ++o) {
    float* __restrict y = Yt + static_cast<std::size_t>(o) * B;
    std::fill_n(y, B, b[o]);
    for (int i = 0; i < I; ++i) {
      const float w = W[static_cast<std::size_t>(i) * O + o];
      const float* __restrict x = Xt + static_cast<std::size_t>(i) * B;
      for (int n = 0; n < B; ++n) y[n] += w * x[n];
    }
  }
}

}  // namespace netlens::kernels
