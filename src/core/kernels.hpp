#pragma once
// The matrix products of dense layers, row-major, and the reductions around them.
//   X (B, I) inputs, W (I, O) weights, Y (B, O) outputs, dY, dX, dW their gradients.
// Small products (Playground nets, batch 10) run hand-written loops shaped so GCC keeps the
// accumulators in registers; large ones (MNIST) go to OpenBLAS's sgemm. One implementation per
// product and size class; tests/core/kernels_test.cpp checks each against a plain reference.
#include <cstddef>

namespace netlens::kernels {

// Y = X W + b
void matmul_bias(const float* X, const float* W, const float* b, float* Y, int B, int I, int O);
// dW = X^T dY
void matmul_at_b(const float* X, const float* dY, float* dW, int B, int I, int O);
// dX = dY W^T
void matmul_a_bt(const float* dY, const float* W, float* dX, int B, int I, int O);
// db = sum over rows of dY
void column_sums(const float* dY, float* db, int B, int O);

// Y^T = W^T X^T + b, feature-major: Xt (I, B) and Yt (O, B) hold one row per unit, so each
// unit's values over B points are contiguous. For narrow layers over many points (a
// Playground frame: 2-8 units, 10,000 grid points) this vectorises over the points, where the
// row-major product can only use 1 to 8 lanes; bench W2 measured the difference.
void matmul_bias_feature_major(const float* Xt, const float* W, const float* b, float* Yt, int B, int I, int O);

// Products with at least this many multiply-adds, and every side at least this long, use BLAS.
inline constexpr long kBlasMinMacs = 32L * 32 * 32;
inline constexpr int kBlasMinSide = 16;

}  // namespace netlens::kernels
