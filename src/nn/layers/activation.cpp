#include "nn/layers/activation.hpp"

#include "core/names.hpp"
#include "core/parallel.hpp"
#include "core/vmath.hpp"

namespace netlens::nn {

namespace {
constexpr NameTable<Activation, 5> kNames{{
    {Activation::Linear, "linear"},
    {Activation::ReLU, "relu"},
    {Activation::LeakyReLU, "leaky_relu"},
    {Activation::Tanh, "tanh"},
    {Activation::Sigmoid, "sigmoid"},
}};
}  // namespace

std::string_view activation_name(Activation a) { return name_of(kNames, a); }

Activation parse_activation(std::string_view name, const std::string& where) {
  return parse_name(kNames, name, where, "activation");
}

void activation_forward(Activation a, const float* x, float* y, std::size_t n) {
  switch (a) {
    case Activation::Linear:  // y = x
      for (std::size_t i = 0; i < n; ++i) y[i] = x[i];
      break;
    case Activation::ReLU:  // y = max(0, x)
      for (std::size_t i = 0; i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
      break;
    case Activation::LeakyReLU:  // y = x if x > 0 else 0.01 x
      for (std::size_t i = 0; i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : kLeakyReLUSlope * x[i];
      break;
    case Activation::Tanh:
      for (std::size_t i = 0; i < n; ++i) y[i] = vmath::tanh(x[i]);
      break;
    case Activation::Sigmoid:  // y = 1 / (1 + e^-x)
      for (std::size_t i = 0; i < n; ++i) y[i] = vmath::sigmoid(x[i]);
      break;
  }
}

void activation_backward(Activation a, const float* x, const float* y, const float* dy, float* dx, std::size_t n) {
  switch (a) {
    case Activation::Linear:
      for (std::size_t i = 0; i < n; ++i) dx[i] = dy[i];
      break;
    case Activation::ReLU:  // dx = dy [x > 0]
      for (std::size_t i = 0; i < n; ++i) dx[i] = x[i] > 0.0f ? dy[i] : 0.0f;
      break;
    case Activation::LeakyReLU:
      for (std::size_t i = 0; i < n; ++i) dx[i] = x[i] > 0.0f ? dy[i] : kLeakyReLUSlope * dy[i];
      break;
    case Activation::Tanh:  // dx = dy (1 - y^2)
      for (std::size_t i = 0; i < n; ++i) dx[i] = dy[i] * (1.0f - y[i] * y[i]);
      break;
    case Activation::Sigmoid:  // dx = dy y (1 - y)
      for (std::size_t i = 0; i < n; ++i) dx[i] = dy[i] * y[i] * (1.0f - y[i]);
      break;
  }
}

namespace {
constexpr std::size_t kMinPerThread = 32768;  // elements per thread before the work is shared

std::size_t batch_elements(const Tensor& x, int batch) {
  return x.size() / static_cast<std::size_t>(x.dim(0)) * static_cast<std::size_t>(batch);
}
}  // namespace

void ActivationLayer::forward(const Tensor& x, Tensor& y, int batch) const {
  parallel::parallel_for(batch_elements(x, batch), kMinPerThread, [&](std::size_t b, std::size_t e) {
    activation_forward(activation_, x.data() + b, y.data() + b, e - b);
  });
}

void ActivationLayer::backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx, int batch) {
  if (!dx) return;
  parallel::parallel_for(batch_elements(x, batch), kMinPerThread, [&](std::size_t b, std::size_t e) {
    activation_backward(activation_, x.data() + b, y.data() + b, dy.data() + b, dx->data() + b, e - b);
  });
}

}  // namespace netlens::nn
