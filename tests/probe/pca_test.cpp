#include "probe/pca.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace netlens;

TEST(SymmetricEigen, DecomposesATwoByTwo) {
  const auto e = probe::symmetric_eigen({2, 1, 1, 2}, 2);
  EXPECT_NEAR(e.values[0], 3, 1e-12);
  EXPECT_NEAR(e.values[1], 1, 1e-12);
  EXPECT_NEAR(e.vectors[0][0], M_SQRT1_2, 1e-12);
  EXPECT_NEAR(e.vectors[0][1], M_SQRT1_2, 1e-12);
  EXPECT_NEAR(std::abs(e.vectors[1][0]), M_SQRT1_2, 1e-12);
  EXPECT_NEAR(e.vectors[1][0], -e.vectors[1][1], 1e-12);
}

// A x = lambda x for every pair of a dense 6 x 6 matrix, and the eigenvectors are orthonormal.
TEST(SymmetricEigen, EveryPairSatisfiesTheEigenEquation) {
  const int n = 6;
  std::vector<double> a(n * n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j <= i; ++j) a[i * n + j] = a[j * n + i] = std::sin(1.0 + i * 7 + j * 3);
  const auto e = probe::symmetric_eigen(a, n);
  for (int k = 0; k < n; ++k) {
    if (k > 0) {
      EXPECT_GE(e.values[k - 1], e.values[k]);
    }
    for (int i = 0; i < n; ++i) {
      double ax = 0;
      for (int j = 0; j < n; ++j) ax += a[i * n + j] * e.vectors[k][j];
      EXPECT_NEAR(ax, e.values[k] * e.vectors[k][i], 1e-10);
    }
    for (int l = 0; l < n; ++l) {
      double dot = 0;
      for (int j = 0; j < n; ++j) dot += e.vectors[k][j] * e.vectors[l][j];
      EXPECT_NEAR(dot, k == l ? 1.0 : 0.0, 1e-10);
    }
  }
}

// Four points m +- 3 u1 +- u2 along orthonormal u1 = (1, 2, 2)/3, u2 = (2, 1, -2)/3: the sample
// covariance is 12 u1 u1^T + 4/3 u2 u2^T (sum a^2 / (n - 1) = 36/3 and 4/3), so PCA finds u1
// with variance 12, then u2 with 4/3, and m + 3 u1 - u2 projects to (3, -1).
TEST(Pca, RecoversAKnownDecomposition) {
  const double m[3] = {1, -1, 2}, u1[3] = {1. / 3, 2. / 3, 2. / 3}, u2[3] = {2. / 3, 1. / 3, -2. / 3};
  std::vector<double> points;
  for (double a : {-3.0, 3.0})
    for (double b : {-1.0, 1.0})
      for (int j = 0; j < 3; ++j) points.push_back(m[j] + a * u1[j] + b * u2[j]);
  const auto pca = probe::fit_pca(points, 3, 2);
  ASSERT_EQ(pca.axes.size(), 2u);
  EXPECT_NEAR(pca.variances[0], 12.0, 1e-12);
  EXPECT_NEAR(pca.variances[1], 4.0 / 3, 1e-12);
  // An axis is defined up to its sign (which one the solver finds depends on rounding).
  const double s1 = pca.axes[0][0] * u1[0] < 0 ? -1 : 1, s2 = pca.axes[1][0] * u2[0] < 0 ? -1 : 1;
  for (int j = 0; j < 3; ++j) {
    EXPECT_NEAR(pca.mean[j], m[j], 1e-12);
    EXPECT_NEAR(s1 * pca.axes[0][j], u1[j], 1e-12);
    EXPECT_NEAR(s2 * pca.axes[1][j], u2[j], 1e-12);
  }
  const auto c = pca.project(points.data() + 3 * 3);  // a = 3, b = 1
  EXPECT_NEAR(s1 * c[0], 3, 1e-12);
  EXPECT_NEAR(s2 * c[1], 1, 1e-12);
  const double x[3] = {m[0] + 3 * u1[0] - u2[0], m[1] + 3 * u1[1] - u2[1], m[2] + 3 * u1[2] - u2[2]};
  const auto d = pca.project(x);
  EXPECT_NEAR(s1 * d[0], 3, 1e-12);
  EXPECT_NEAR(s2 * d[1], -1, 1e-12);
}
