#pragma once
// Finite-difference gradient checks for layers. The probe loss is L = sum_i r_i y_i with fixed
// random r, so dL/dy = r; every input and parameter gradient from backward() is compared with
// the central difference (L(v + h) - L(v - h)) / 2h, accumulated in double.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/rng.hpp"
#include "nn/layers/layer.hpp"

namespace netlens::test {

inline constexpr double kGradientTolerance = 1e-3;  // relative error
inline constexpr float kStep = 1e-2f;

// |a - n| / max(|a|, |n|, 1e-2): relative for ordinary gradients, absolute for tiny ones.
inline double relative_error(double analytic, double numeric) {
  return std::abs(analytic - numeric) / std::max({std::abs(analytic), std::abs(numeric), 1e-2});
}

// Random values in +-[lo, hi]: staying away from 0 keeps kinks (ReLU) out of the difference.
inline void fill_away_from_zero(Tensor& t, Rng& rng, double lo = 0.1, double hi = 1.5) {
  for (auto& v : t.values()) v = static_cast<float>((rng.uniform() < 0.5 ? -1 : 1) * rng.uniform(lo, hi));
}

inline double probe_loss(const nn::Layer& layer, const Tensor& x, Tensor& y, const Tensor& r, int batch) {
  layer.forward(x, y, batch);
  double sum = 0;
  for (std::size_t i = 0; i < y.size(); ++i) sum += double(r[i]) * y[i];
  return sum;
}

// Checks dL/dx and every parameter's gradient of `layer` at input x (batch rows). A layer that
// is linear in x and in its parameters (convolution) may take a larger step: the difference is
// then exact, and float rounding in the sum over many outputs weighs less.
inline void expect_gradients_match(nn::Layer& layer, Tensor x, int batch, std::uint64_t seed = 7,
                                   float step = kStep) {
  Rng rng(seed);
  Shape out_shape{batch};
  for (int d : layer.output_shape(Shape(x.shape().begin() + 1, x.shape().end()))) out_shape.push_back(d);
  // dx starts as NaN: an element backward forgets to write fails the check.
  Tensor y(out_shape), r(out_shape), dx(x.shape(), std::numeric_limits<float>::quiet_NaN());
  for (auto& v : r.values()) v = static_cast<float>(rng.uniform(-1, 1));

  layer.forward(x, y, batch);
  layer.backward(x, y, r, &dx, batch);

  auto check = [&](Tensor& v, const std::vector<float>& analytic, const std::string& what) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      const float keep = v[i];
      v[i] = keep + step;
      const double plus = probe_loss(layer, x, y, r, batch);
      v[i] = keep - step;
      const double minus = probe_loss(layer, x, y, r, batch);
      v[i] = keep;
      const double numeric = (plus - minus) / (2.0 * step);
      EXPECT_LT(relative_error(analytic[i], numeric), kGradientTolerance)
          << what << "[" << i << "]: analytic " << analytic[i] << ", numeric " << numeric;
    }
  };
  check(x, dx.values(), layer.name() + " dL/dx");
  for (const auto& p : layer.params()) {
    const std::vector<float> analytic = p.grad->values();
    check(*p.value, analytic, layer.name() + " dL/dparam");
  }
}

}  // namespace netlens::test
