#include "data/synthetic2d.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace netlens::data {

namespace {

float f(double v) { return static_cast<float>(v); }

// Two concentric groups: inside radius 2.5 is +1, the ring 3.5..5 is -1. The label follows the
// noisy position, so noise puts points on the wrong side of the boundary.
std::vector<Point2D> circle(int count, double noise, Rng& rng) {
  const double radius = 5.0;
  std::vector<Point2D> points;
  auto ring = [&](double r_min, double r_max) {
    for (int i = 0; i < count / 2; ++i) {
      const double r = rng.uniform(r_min, r_max);
      const double angle = rng.uniform(0.0, 2.0 * M_PI);
      const double x = r * std::sin(angle), y = r * std::cos(angle);
      const double nx = rng.uniform(-radius, radius) * noise, ny = rng.uniform(-radius, radius) * noise;
      const bool inside = std::hypot(x + nx, y + ny) < radius * 0.5;
      points.push_back({f(x), f(y), inside ? 1.0f : -1.0f});
    }
  };
  ring(0.0, radius * 0.5);
  ring(radius * 0.7, radius);
  return points;
}

// Quadrants: +1 where x1 x2 >= 0, with a 0.3 gap along the axes.
std::vector<Point2D> xor_set(int count, double noise, Rng& rng) {
  std::vector<Point2D> points;
  const double padding = 0.3;
  for (int i = 0; i < count; ++i) {
    double x = rng.uniform(-5.0, 5.0);
    x += x > 0 ? padding : -padding;
    double y = rng.uniform(-5.0, 5.0);
    y += y > 0 ? padding : -padding;
    const double nx = rng.uniform(-5.0, 5.0) * noise, ny = rng.uniform(-5.0, 5.0) * noise;
    points.push_back({f(x), f(y), (x + nx) * (y + ny) >= 0 ? 1.0f : -1.0f});
  }
  return points;
}

// Two Gaussians at (2, 2) (+1) and (-2, -2) (-1); noise 0..0.5 maps to variance 0.5..4.
std::vector<Point2D> gauss(int count, double noise, Rng& rng) {
  const double variance = 0.5 + noise / 0.5 * 3.5;
  std::vector<Point2D> points;
  auto blob = [&](double cx, double cy, float label) {
    for (int i = 0; i < count / 2; ++i) {
      const double x = rng.normal(cx, std::sqrt(variance)), y = rng.normal(cy, std::sqrt(variance));
      points.push_back({f(x), f(y), label});
    }
  };
  blob(2.0, 2.0, 1.0f);
  blob(-2.0, -2.0, -1.0f);
  return points;
}

// Two interleaved spirals of 1.75 turns, radius 0..5.
std::vector<Point2D> spiral(int count, double noise, Rng& rng) {
  const int n = count / 2;
  std::vector<Point2D> points;
  auto arm = [&](double delta, float label) {
    for (int i = 0; i < n; ++i) {
      const double r = double(i) / n * 5.0;
      const double t = 1.75 * i / n * 2.0 * M_PI + delta;
      const double x = r * std::sin(t) + rng.uniform(-1.0, 1.0) * noise;
      const double y = r * std::cos(t) + rng.uniform(-1.0, 1.0) * noise;
      points.push_back({f(x), f(y), label});
    }
  };
  arm(0.0, 1.0f);
  arm(M_PI, -1.0f);
  return points;
}

// Regression: label = (x1 + x2) / 10 over [-6, 6]^2 (clipped to [-1, 1]).
std::vector<Point2D> plane(int count, double noise, Rng& rng) {
  const double radius = 6.0;
  std::vector<Point2D> points;
  for (int i = 0; i < count; ++i) {
    const double x = rng.uniform(-radius, radius), y = rng.uniform(-radius, radius);
    const double nx = rng.uniform(-radius, radius) * noise, ny = rng.uniform(-radius, radius) * noise;
    points.push_back({f(x), f(y), f(std::clamp((x + nx + y + ny) / 10.0, -1.0, 1.0))});
  }
  return points;
}

// Regression: six signed bumps; the label is the strongest one, falling linearly from 1 at a
// centre to 0 at distance 2.
std::vector<Point2D> multi_gaussian(int count, double noise, Rng& rng) {
  struct Bump {
    double cx, cy, sign;
  };
  constexpr Bump bumps[] = {{-4, 2.5, 1}, {0, 2.5, -1}, {4, 2.5, 1}, {-4, -2.5, -1}, {0, -2.5, 1}, {4, -2.5, -1}};
  auto label_at = [&](double x, double y) {
    double label = 0.0;
    for (const auto& b : bumps) {
      const double v = b.sign * std::clamp(1.0 - std::hypot(x - b.cx, y - b.cy) / 2.0, 0.0, 1.0);
      if (std::abs(v) > std::abs(label)) label = v;
    }
    return label;
  };
  const double radius = 6.0;
  std::vector<Point2D> points;
  for (int i = 0; i < count; ++i) {
    const double x = rng.uniform(-radius, radius), y = rng.uniform(-radius, radius);
    const double nx = rng.uniform(-radius, radius) * noise, ny = rng.uniform(-radius, radius) * noise;
    points.push_back({f(x), f(y), f(label_at(x + nx, y + ny))});
  }
  return points;
}

// Two interleaved half circles (scikit-learn's make_moons), scaled by 3 and centred, with
// Gaussian noise of standard deviation 2 * noise.
std::vector<Point2D> two_moons(int count, double noise, Rng& rng) {
  std::vector<Point2D> points;
  for (int i = 0; i < count; ++i) {
    const bool upper = i < count / 2;
    const double t = rng.uniform(0.0, M_PI);
    double x = upper ? std::cos(t) : 1.0 - std::cos(t);
    double y = upper ? std::sin(t) : 0.5 - std::sin(t);
    x = 3.0 * (x - 0.5) + rng.normal(0.0, 2.0 * noise);
    y = 3.0 * (y - 0.25) + rng.normal(0.0, 2.0 * noise);
    points.push_back({f(x), f(y), upper ? 1.0f : -1.0f});
  }
  return points;
}

// A 4 x 4 board of 3 x 3 squares over [-6, 6]^2; the label follows the noisy position.
std::vector<Point2D> checkerboard(int count, double noise, Rng& rng) {
  std::vector<Point2D> points;
  for (int i = 0; i < count; ++i) {
    const double x = rng.uniform(-6.0, 6.0), y = rng.uniform(-6.0, 6.0);
    const double nx = rng.uniform(-3.0, 3.0) * noise, ny = rng.uniform(-3.0, 3.0) * noise;
    const auto cell = static_cast<long>(std::floor((x + nx) / 3.0) + std::floor((y + ny) / 3.0));
    points.push_back({f(x), f(y), cell % 2 == 0 ? 1.0f : -1.0f});
  }
  return points;
}

// Seven Gaussian blobs, class c at its own centre: class 0 at the origin, classes 1..6 on a
// hexagon of radius 4; point i is of class i mod 7. Noise 0..0.5 maps to a standard deviation
// of 0.5..2, so the blobs touch from about noise 0.25 on.
std::vector<Point2D> blobs7(int count, double noise, Rng& rng) {
  const double sigma = 0.5 + 3.0 * noise;
  std::vector<Point2D> points;
  for (int i = 0; i < count; ++i) {
    const int c = i % 7;
    const double angle = M_PI / 2 + (c - 1) * M_PI / 3;
    const double cx = c == 0 ? 0.0 : 4.0 * std::cos(angle), cy = c == 0 ? 0.0 : 4.0 * std::sin(angle);
    points.push_back({f(rng.normal(cx, sigma)), f(rng.normal(cy, sigma)), static_cast<float>(c)});
  }
  return points;
}

}  // namespace

const std::vector<Synthetic2D>& synthetic2d_sets() {
  static const std::vector<Synthetic2D> sets{
      {"circle", Problem::Classification, 2, circle},
      {"xor", Problem::Classification, 2, xor_set},
      {"gauss", Problem::Classification, 2, gauss},
      {"spiral", Problem::Classification, 2, spiral},
      {"two_moons", Problem::Classification, 2, two_moons},
      {"checkerboard", Problem::Classification, 2, checkerboard},
      {"blobs7", Problem::Classification, 7, blobs7},
      {"plane", Problem::Regression, 0, plane},
      {"multi_gaussian", Problem::Regression, 0, multi_gaussian},
  };
  return sets;
}

std::vector<Point2D> xor4_points() {
  return {{0, 0, -1.0f}, {0, 1, 1.0f}, {1, 0, 1.0f}, {1, 1, -1.0f}};
}

const Synthetic2D& find_synthetic2d(std::string_view name, const std::string& where) {
  std::string known;
  for (const auto& s : synthetic2d_sets()) {
    if (s.name == name) return s;
    known += (known.empty() ? "" : ", ") + std::string(s.name);
  }
  throw Error(where, "unknown data set '" + excerpt(name) + "' (known: " + known + ")");
}

}  // namespace netlens::data
