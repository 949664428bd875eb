#include "core/kernels.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/rng.hpp"

using namespace netlens;

namespace {

std::vector<float> random_vector(std::size_t n, Rng& rng) {
  std::vector<float> v(n);
  for (auto& x : v) x = static_cast<float>(rng.uniform(-1, 1));
  return v;
}

// Plain triple loops in double: the reference each kernel must match.
std::vector<float> reference_matmul(const std::vector<float>& A, bool ta, const std::vector<float>& Bm, bool tb, int M,
                                    int N, int K) {
  std::vector<float> C(static_cast<std::size_t>(M) * N);
  for (int m = 0; m < M; ++m)
    for (int n = 0; n < N; ++n) {
      double s = 0;
      for (int k = 0; k < K; ++k)
        s += double(ta ? A[k * M + m] : A[m * K + k]) * (tb ? Bm[n * K + k] : Bm[k * N + n]);
      C[static_cast<std::size_t>(m) * N + n] = static_cast<float>(s);
    }
  return C;
}

void expect_close(const std::vector<float>& got, const std::vector<float>& want, int K, const std::string& what) {
  ASSERT_EQ(got.size(), want.size());
  // float accumulation of K products of magnitude <= 1: error grows like sqrt(K) ulps
  const double tol = 1e-5 * std::sqrt(double(K)) + 1e-6;
  for (std::size_t i = 0; i < got.size(); ++i)
    ASSERT_NEAR(got[i], want[i], tol) << what << " at " << i;
}

}  // namespace

// Every product on odd sizes, both sides of the BLAS threshold.
TEST(Kernels, MatchPlainReferenceOnOddSizes) {
  const int sizes[] = {1, 7, 33, 1000};
  Rng rng(61);
  for (int B : sizes)
    for (int I : sizes)
      for (int O : sizes) {
        if (long(B) * I * O > 40'000'000) continue;  // keeps the reference loops quick
        const std::string what = "B=" + std::to_string(B) + " I=" + std::to_string(I) + " O=" + std::to_string(O);
        const auto X = random_vector(size_t(B) * I, rng), W = random_vector(size_t(I) * O, rng),
                   b = random_vector(size_t(O), rng), dY = random_vector(size_t(B) * O, rng);

        std::vector<float> Y(size_t(B) * O), dW(size_t(I) * O, 7.0f), dX(size_t(B) * I, 7.0f), db(size_t(O), 7.0f);
        kernels::matmul_bias(X.data(), W.data(), b.data(), Y.data(), B, I, O);
        auto want = reference_matmul(X, false, W, false, B, O, I);
        for (int n = 0; n < B; ++n)
          for (int o = 0; o < O; ++o) want[size_t(n) * O + o] += b[size_t(o)];
        expect_close(Y, want, I, "matmul_bias " + what);

        kernels::matmul_at_b(X.data(), dY.data(), dW.data(), B, I, O);
        expect_close(dW, reference_matmul(X, true, dY, false, I, O, B), B, "matmul_at_b " + what);

        kernels::matmul_a_bt(dY.data(), W.data(), dX.data(), B, I, O);
        expect_close(dX, reference_matmul(dY, false, W, true, B, I, O), O, "matmul_a_bt " + what);

        // feature-major: Yt = W^T X^T + b, compared with the transpose of the row-major result
        std::vector<float> Xt(size_t(B) * I), Yt(size_t(O) * B);
        for (int n = 0; n < B; ++n)
          for (int i = 0; i < I; ++i) Xt[size_t(i) * B + n] = X[size_t(n) * I + i];
        kernels::matmul_bias_feature_major(Xt.data(), W.data(), b.data(), Yt.data(), B, I, O);
        std::vector<float> want_t(size_t(O) * B);
        for (int n = 0; n < B; ++n)
          for (int o = 0; o < O; ++o) want_t[size_t(o) * B + n] = want[size_t(n) * O + o];
        expect_close(Yt, want_t, I, "matmul_bias_feature_major " + what);

        kernels::column_sums(dY.data(), db.data(), B, O);
        std::vector<float> ones(size_t(B), 1.0f);
        expect_close(db, reference_matmul(ones, false, dY, false, 1, O, B), B, "column_sums " + what);
      }
}
