#include "nn/layers/dense.hpp"

#include <cmath>

#include "core/error.hpp"
#include "core/kernels.hpp"

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
  kernels::matmul_bias(x.data(), w_.data(), b_.data(), y.data(), batch, in_, out_);
}

// dW[i][o] = sum_n x[n][i] dy[n][o];  db[o] = sum_n dy[n][o];  dx[n][i] = sum_o dy[n][o] W[i][o]
void Dense::backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx, int batch) {
  kernels::matmul_at_b(x.data(), dy.data(), dw_.data(), batch, in_, out_);
  kernels::column_sums(dy.data(), db_.data(), batch, out_);
  if (dx) backward_input(x, y, dy, *dx, batch);
}

// dx[n][i] = sum_o dy[n][o] W[i][o]
void Dense::backward_input(const Tensor&, const Tensor&, const Tensor& dy, Tensor& dx, int batch) const {
  kernels::matmul_a_bt(dy.data(), w_.data(), dx.data(), batch, in_, out_);
}

std::vector<Param> Dense::params() { return {{&w_, &dw_, true}, {&b_, &db_, false}}; }

void Dense::init(Init kind, Rng& rng) {
  if (kind == Init::Playground) {
    for (auto& w : w_.values()) w = static_cast<float>(rng.uniform(-0.5, 0.5));
    b_.fill(0.1f);
    return;
  }
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
