#include "cblas.h"

void cblas_sgemm(CBLAS_ORDER, CBLAS_TRANSPOSE trans_a, CBLAS_TRANSPOSE trans_b, int M, int N, int K, float alpha,
                 const float* A, int lda, const float* B, int ldb, float beta, float* C, int ldc) {
  for (int m = 0; m < M; ++m) {
    float* c = C + m * ldc;
    for (int n = 0; n < N; ++n) c[n] = beta == 0.0f ? 0.0f : beta * c[n];
    for (int k = 0; k < K; ++k) {
      const float a = alpha * (trans_a == CblasTrans ? A[k * lda + m] : A[m * lda + k]);
      if (trans_b == CblasNoTrans) {
        const float* b = B + k * ldb;  // a row of B: the inner loop is contiguous and vectorises
        for (int n = 0; n < N; ++n) c[n] += a * b[n];
      } else {
        for (int n = 0; n < N; ++n) c[n] += a * B[n * ldb + k];
      }
    }
  }
}
