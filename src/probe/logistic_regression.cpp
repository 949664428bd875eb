#include "probe/logistic_regression.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace netlens::probe {

namespace {

constexpr int kMaxIterations = 100;
constexpr double kGradientTolerance = 1e-10;

// log(1 + exp(-m)) without overflow.
double log_loss(double m) { return m > 0 ? std::log1p(std::exp(-m)) : -m + std::log1p(std::exp(m)); }
double sigmoid(double m) { return m >= 0 ? 1 / (1 + std::exp(-m)) : std::exp(m) / (1 + std::exp(m)); }

// Solves A x = b (A is k x k row-major, destroyed) by Gaussian elimination with partial pivoting.
std::vector<double> solve(std::vector<double> a, std::vector<double> b, int k) {
  for (int c = 0; c < k; ++c) {
    int pivot = c;
    for (int r = c + 1; r < k; ++r)
      if (std::abs(a[r * k + c]) > std::abs(a[pivot * k + c])) pivot = r;
    for (int j = 0; j < k; ++j) std::swap(a[c * k + j], a[pivot * k + j]);
    std::swap(b[c], b[pivot]);
    for (int r = c + 1; r < k; ++r) {
      const double f = a[r * k + c] / a[c * k + c];
      for (int j = c; j < k; ++j) a[r * k + j] -= f * a[c * k + j];
      b[r] -= f * b[c];
    }
  }
  std::vector<double> x(k);
  for (int r = k - 1; r >= 0; --r) {
    double s = b[r];
    for (int j = r + 1; j < k; ++j) s -= a[r * k + j] * x[j];
    x[r] = s / a[r * k + r];
  }
  return x;
}

}  // namespace

LinearSeparator fit_logistic_regression(const std::vector<double>& points, const std::vector<float>& labels, int dims,
                                        double l2) {
  const int n = static_cast<int>(labels.size());
  if (n == 0 || static_cast<int>(points.size()) != n * dims) throw Error("logistic regression", "points and labels disagree");
  const int k = dims + 1;  // theta = (w, b)
  std::vector<double> theta(k, 0.0);
  auto margin = [&](const std::vector<double>& t, int i) {
    double m = t[dims];
    for (int j = 0; j < dims; ++j) m += t[j] * points[i * dims + j];
    return labels[i] * m;
  };
  auto objective = [&](const std::vector<double>& t) {
    double j = 0;
    for (int i = 0; i < n; ++i) j += log_loss(margin(t, i));
    double w2 = 0;
    for (int d = 0; d < dims; ++d) w2 += t[d] * t[d];
    return j / n + 0.5 * l2 * w2;
  };

  LinearSeparator s;
  double current = objective(theta);
  for (; s.iterations < kMaxIterations; ++s.iterations) {
    // g = 1/N sum -y_i s(-m_i) x~_i + l2 w;  H = 1/N sum p_i (1 - p_i) x~_i x~_i^T + l2 I_w
    std::vector<double> g(k, 0.0), h(k * k, 0.0);
    for (int i = 0; i < n; ++i) {
      const double m = margin(theta, i), q = sigmoid(-m), curvature = q * (1 - q);
      for (int a = 0; a < k; ++a) {
        const double xa = a < dims ? points[i * dims + a] : 1.0;
        g[a] -= labels[i] * q * xa / n;
        for (int b = 0; b < k; ++b) h[a * k + b] += curvature * xa * (b < dims ? points[i * dims + b] : 1.0) / n;
      }
    }
    double norm = 0;
    for (int d = 0; d < dims; ++d) g[d] += l2 * theta[d], h[d * k + d] += l2;
    for (double v : g) norm += v * v;
    if (std::sqrt(norm) < kGradientTolerance) break;
    h[k * k - 1] += 1e-12;  // the bias's curvature vanishes once every point is far from the line
    const auto step = solve(h, g, k);
    double t = 1;
    std::vector<double> next(k);
    for (; t > 1e-12; t /= 2) {
      for (int a = 0; a < k; ++a) next[a] = theta[a] - t * step[a];
      if (const double j = objective(next); j <= current) {
        current = j;
        break;
      }
    }
    if (t <= 1e-12) break;  // no descent left at double precision
    theta = next;
  }
  s.weights.assign(theta.begin(), theta.begin() + dims);
  s.bias = theta[dims];
  int correct = 0;
  for (int i = 0; i < n; ++i) {
    double m = s.bias;
    for (int j = 0; j < dims; ++j) m += s.weights[j] * points[i * dims + j];
    correct += (m >= 0 ? 1.0f : -1.0f) == labels[i];
  }
  s.accuracy = double(correct) / n;
  return s;
}

}  // namespace netlens::probe
