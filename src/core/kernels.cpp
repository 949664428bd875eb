#include "core/kernels.hpp"

#include <cblas.h>

#include <algorithm>
#include <type_traits>

namespace netlens::kernels {

namespace {

constexpr int kTile = 16;  // widest column tile: one AVX-512 or two AVX2 registers
constexpr int kRows = 4;   // rows per pass, so each loaded B row feeds four FMAs

// BLAS pays once every side is wide; a 2-input or 1-output layer is better served by hand.
bool use_blas(int B, int I, int O) {
  return std::min({B, I, O}) >= kBlasMinSide && long(B) * I * O >= kBlasMinMacs;
}

// C[r][j] = init[j] + sum_k A(r, k) B[k][j] for R rows and N columns, A(r, k) = A[r * ar + k * ak].
// R and N are compile-time, so the accumulators live in registers.
template <int R, int N>
void tile(const float* __restrict A, int ar, int ak, const float* __restrict Bm, int ldb, const float* init,
          float* __restrict C, int ldc, int K) {
  float acc[R][N];
  for (int r = 0; r < R; ++r)
    for (int j = 0; j < N; ++j) acc[r][j] = init ? init[j] : 0.0f;
  for (int k = 0; k < K; ++k) {
    const float* __restrict b = Bm + static_cast<std::size_t>(k) * ldb;
    for (int r = 0; r < R; ++r) {
      const float a = A[r * ar + k * ak];
      for (int j = 0; j < N; ++j) acc[r][j] += a * b[j];
    }
  }
  for (int r = 0; r < R; ++r)
    for (int j = 0; j < N; ++j) C[static_cast<std::size_t>(r) * ldc + j] = acc[r][j];
}

// Every column of R rows, in tiles of 16, then 8, 4, 2 and 1 columns.
template <int R>
void tile_row_block(const float* A, int ar, int ak, const float* Bm, int ldb, const float* init, float* C, int ldc,
                    int K, int cols) {
  int j = 0;
  auto at = [&](auto width) {
    constexpr int w = decltype(width)::value;
    tile<R, w>(A, ar, ak, Bm + j, ldb, init ? init + j : nullptr, C + j, ldc, K);
    j += w;
  };
  while (j + kTile <= cols) at(std::integral_constant<int, kTile>());
  if (cols - j >= 8) at(std::integral_constant<int, 8>());
  if (cols - j >= 4) at(std::integral_constant<int, 4>());
  if (cols - j >= 2) at(std::integral_constant<int, 2>());
  if (cols - j >= 1) at(std::integral_constant<int, 1>());
}

// C (rows, cols) = init + A B with A(r, k) = A[r * ar + k * ak] and B (K, cols) row-major.
void small_gemm(const float* A, int ar, int ak, const float* Bm, const float* init, float* C, int rows, int cols,
                int K) {
  int r = 0;
  for (; r + kRows <= rows; r += kRows)
    tile_row_block<kRows>(A + static_cast<std::size_t>(r) * ar, ar, ak, Bm, cols, init,
                          C + static_cast<std::size_t>(r) * cols, cols, K, cols);
  for (; r < rows; ++r)
    tile_row_block<1>(A + static_cast<std::size_t>(r) * ar, ar, ak, Bm, cols, init,
                      C + static_cast<std::size_t>(r) * cols, cols, K, cols);
}

// y = b + x . w over a contiguous w: the single-output layer (O = 1).
float dot_bias(const float* __restrict x, const float* __restrict w, float b, int I) {
  float acc[kTile] = {};
  int i = 0;
  for (; i + kTile <= I; i += kTile)
    for (int j = 0; j < kTile; ++j) acc[j] += x[i + j] * w[i + j];
  for (; i < I; ++i) acc[0] += x[i] * w[i];
  float s = b;
  for (float a : acc) s += a;
  return s;
}

}  // namespace

void matmul_bias(const float* X, const float* W, const float* b, float* Y, int B, int I, int O) {
  if (use_blas(B, I, O)) {
    for (int n = 0; n < B; ++n) std::copy_n(b, O, Y + static_cast<std::size_t>(n) * O);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, O, I, 1.0f, X, I, W, O, 1.0f, Y, O);
    return;
  }
  if (O == 1) {
    for (int n = 0; n < B; ++n) Y[n] = dot_bias(X + static_cast<std::size_t>(n) * I, W, b[0], I);
    return;
  }
  small_gemm(X, I, 1, W, b, Y, B, O, I);
}

// dW[i][o] = sum_n X[n][i] dY[n][o]
void matmul_at_b(const float* X, const float* dY, float* dW, int B, int I, int O) {
  if (use_blas(B, I, O)) {
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, I, O, B, 1.0f, X, I, dY, O, 0.0f, dW, O);
    return;
  }
  small_gemm(X, 1, I, dY, nullptr, dW, I, O, B);  // A = X^T: A(i, n) = X[n * I + i]
}

// dX[n][i] = sum_o dY[n][o] W[i][o]
void matmul_a_bt(const float* dY, const float* W, float* dX, int B, int I, int O) {
  if (use_blas(B, I, O)) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, I, O, 1.0f, dY, O, W, O, 0.0f, dX, I);
    return;
  }
  for (int n = 0; n < B; ++n) {
    const float* __restrict dy = dY + static_cast<std::size_t>(n) * O;
    float* __restrict dx = dX + static_cast<std::size_t>(n) * I;
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
}

void column_sums(const float* dY, float* db, int B, int O) {
  std::fill_n(db, O, 0.0f);
  for (int n = 0; n < B; ++n)
    for (int o = 0; o < O; ++o) db[o] += dY[static_cast<std::size_t>(n) * O + o];
}

}  // namespace netlens::kernels
