#include "probe/pca.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.hpp"

namespace netlens::probe {

SymmetricEigen symmetric_eigen(std::vector<double> a, int n) {
  std::vector<double> v(static_cast<std::size_t>(n) * n, 0.0);  // columns: the eigenvectors
  for (int i = 0; i < n; ++i) v[i * n + i] = 1;
  auto off_diagonal = [&] {
    double s = 0;
    for (int i = 0; i < n; ++i)
      for (int j = i + 1; j < n; ++j) s += a[i * n + j] * a[i * n + j];
    return s;
  };
  double scale = 0;
  for (double x : a) scale += x * x;
  for (int sweep = 0; sweep < 100 && off_diagonal() > 1e-30 * scale; ++sweep) {
    for (int p = 0; p < n; ++p)
      for (int q = p + 1; q < n; ++q) {
        const double apq = a[p * n + q];
        if (apq == 0) continue;
        // The rotation by angle t in the (p, q) plane that zeroes a_pq: tan(2t) = 2 a_pq / (a_qq - a_pp).
        const double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const double t = (theta >= 0 ? 1 : -1) / (std::abs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (int k = 0; k < n; ++k) {  // A <- A J (columns p and q)
          const double akp = a[k * n + p], akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; ++k) {  // A <- J^T A (rows p and q)
          const double apk = a[p * n + k], aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (int k = 0; k < n; ++k) {  // V <- V J
          const double vkp = v[k * n + p], vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
  }
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int x, int y) { return a[x * n + x] > a[y * n + y]; });
  SymmetricEigen e;
  for (int i : order) {
    e.values.push_back(a[i * n + i]);
    std::vector<double> vec(n);
    for (int k = 0; k < n; ++k) vec[k] = v[k * n + i];
    const auto largest = std::max_element(vec.begin(), vec.end(), [](double x, double y) { return std::abs(x) < std::abs(y); });
    if (*largest < 0)
      for (double& x : vec) x = -x;
    e.vectors.push_back(std::move(vec));
  }
  return e;
}

Pca fit_pca(const std::vector<double>& points, int dims, int components) {
  const int n = dims > 0 ? static_cast<int>(points.size()) / dims : 0;
  if (n < 2 || components < 1 || components > dims) throw Error("pca", "needs 2 or more points and 1..dims components");
  Pca pca;
  pca.dims = dims;
  pca.mean.assign(dims, 0.0);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < dims; ++j) pca.mean[j] += points[i * dims + j] / n;
  std::vector<double> cov(static_cast<std::size_t>(dims) * dims, 0.0);
  for (int i = 0; i < n; ++i)
    for (int a = 0; a < dims; ++a)
      for (int b = a; b < dims; ++b)
        cov[a * dims + b] += (points[i * dims + a] - pca.mean[a]) * (points[i * dims + b] - pca.mean[b]) / (n - 1);
  for (int a = 0; a < dims; ++a)
    for (int b = 0; b < a; ++b) cov[a * dims + b] = cov[b * dims + a];
  auto eigen = symmetric_eigen(std::move(cov), dims);
  pca.axes.assign(eigen.vectors.begin(), eigen.vectors.begin() + components);
  pca.variances.assign(eigen.values.begin(), eigen.values.begin() + components);
  return pca;
}

std::vector<double> Pca::project(const double* x) const {
  std::vector<double> c;
  for (const auto& axis : axes) {
    double s = 0;
    for (int j = 0; j < dims; ++j) s += axis[j] * (x[j] - mean[j]);
    c.push_back(s);
  }
  return c;
}

}  // namespace netlens::probe
