#include "nn/layers/dense.hpp"

#include <cmath>

#include "core/error.hpp"

namespace netlens::nn {

Dense::Dense(int in, int out)
    : in_(in), out_(out), w_({in, out}), b_({out}), dw_({in, out}), db_({out}) {}

std::string Dense::name() const { return "Dense(" + std::to_string(in_) + " -> " + std::to_string(out_) + ")"; }

Shape Dense::output_shape(const Shape& input) const {
  if (input.size() != 1 || input[0] != in_)
    throw Error(name(), "expects input shape [" + std::to_string(in_) + "], got " + shape_string(input));
  return {out_};
}

// y[n][o] = b[o] + sum_i x[n][i] W[i][o]
void Dense::forward(const Tensor& x, Tensor& y, int batch) const {
  const float* W = w_.data();
  for (int n = 0; n < batch; ++n) {
    const float* xn = x.data() + static_cast<std::size_t>(n) * in_;
    float* yn = y.data() + static_cast<std::size_t>(n) * out_;
    for (int o = 0; o < out_; ++o) yn[o] = b_[o];
    for (int i = 0; i < in_; ++i) {
      const float xi = xn[i];
      const float* Wi = W + static_cast<std::size_t>(i) * out_;
      for (int o = 0; o < out_; ++o) yn[o] += xi * Wi[o];
    }
  }
}

// dW[i][o] = sum_n x[n][i] dy[n][o];  db[o] = sum_n dy[n][o];  dx[n][i] = sum_o dy[n][o] W[i][o]
void Dense::backward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor* dx, int batch) {
  dw_.fill(0.0f);
  db_.fill(0.0f);
  float* dW = dw_.data();
  for (int n = 0; n < batch; ++n) {
    const float* xn = x.data() + static_cast<std::size_t>(n) * in_;
    const float* dyn = dy.data() + static_cast<std::size_t>(n) * out_;
    for (int o = 0; o < out_; ++o) db_[o] += dyn[o];
    for (int i = 0; i < in_; ++i) {
      const float xi = xn[i];
      float* dWi = dW + static_cast<std::size_t>(i) * out_;
      for (int o = 0; o < out_; ++o) dWi[o] += xi * dyn[o];
    }
  }
  if (!dx) return;
  const float* W = w_.data();
  for (int n = 0; n < batch; ++n) {
    const float* dyn = dy.data() + static_cast<std::size_t>(n) * out_;
    float* dxn = dx->data() + static_cast<std::size_t>(n) * in_;
    for (int i = 0; i < in_; ++i) {
      const float* Wi = W + static_cast<std::size_t>(i) * out_;
      float s = 0.0f;
      for (int o = 0; o < out_; ++o) s += dyn[o] * Wi[o];
      dxn[i] = s;
    }
  }
}

std::vector<Param> Dense::params() { return {{&w_, &dw_, true}, {&b_, &db_, false}}; }

void Dense::init(Init kind, Rng& rng) {
  if (kind == Init::Xavier) {
    const double a = std::sqrt(6.0 / (in_ + out_));
    for (auto& w : w_.values()) w = static_cast<float>(rng.uniform(-a, a));
  } else {
    const double s = std::sqrt(2.0 / in_);
    for (auto& w : w_.values()) w = static_cast<float>(rng.normal(0.0, s));
  }
  b_.fill(0.0f);
}

}  // namespace netlens::nn
