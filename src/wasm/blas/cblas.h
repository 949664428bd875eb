#pragma once
// The one BLAS routine core/kernels calls, for the WebAssembly build (no OpenBLAS there):
// row-major sgemm as plain loops that clang vectorises with -msimd128. Only products with every
// side >= 16 and >= 32^3 multiply-adds reach it (MNIST-sized); the Playground's and Inside's
// layers stay in the engine's register tiles.
enum CBLAS_ORDER { CblasRowMajor = 101 };
enum CBLAS_TRANSPOSE { CblasNoTrans = 111, CblasTrans = 112 };

inline void openblas_set_num_threads(int) {}

// C (M×N) = alpha·op(A)·op(B) + beta·C, op(A) M×K, op(B) K×N; lda, ldb, ldc are row strides.
void cblas_sgemm(CBLAS_ORDER order, CBLAS_TRANSPOSE trans_a, CBLAS_TRANSPOSE trans_b, int M, int N, int K, float alpha,
                 const float* A, int lda, const float* B, int ldb, float beta, float* C, int ldc);
