#include "nn/layers/activation.hpp"

#include <cmath>

#include "core/names.hpp"
#include "core/parallel.hpp"
#include "core/vmath.hpp"

namespace netlens::nn {

namespace {
constexpr NameTable<Activation, 11> kActivationNames{{
    {Activation::Linear, "linear"},
    {Activation::ReLU, "relu"},
    {Activation::LeakyReLU, "leaky_relu"},
    {Activation::Tanh, "tanh"},
    {Activation::Sigmoid, "sigmoid"},
    {Activation::ELU, "elu"},
    {Activation::Softplus, "softplus"},
    {Activation::SiLU, "silu"},
    {Activation::GELU, "gelu"},
    {Activation::Mish, "mish"},
    {Activation::Sine, "sine"},
}};

// GELU's tanh approximation: u = c (x + a x^3) with c = sqrt(2/pi), a = 0.044715.
constexpr float kGeluC = 0.7978845608f;  // sqrt(2 / pi)
constexpr float kGeluA = 0.044715f;
constexpr float kGeluClamp = 10.0f;  // in the derivative only; see there
// Mish uses e^x only through tanh(softplus x), which is 1 in float from x = 9 on, and its
// derivative is 1 from x = 20 on; clamping x at 20 keeps (e^x)^2 finite.
constexpr float kMishClamp = 20.0f;
}  // namespace

std::string_view activation_name(Activation a) { return name_of(kActivationNames, a); }
std::vector<std::string_view> activation_names() { return names_of(kActivationNames); }

Activation parse_activation(std::string_view name, const std::string& where) {
  if (name == "swish") return Activation::SiLU;  // the same function; printed as "silu"
  return parse_name(kActivationNames, name, where, "activation");
}

bool is_relu_like(Activation a) {
  switch (a) {
    case Activation::ReLU:
    case Activation::LeakyReLU:
    case Activation::ELU:
    case Activation::Softplus:
    case Activation::SiLU:
    case Activation::GELU:
    case Activation::Mish:
      return true;
    case Activation::Linear:
    case Activation::Tanh:
    case Activation::Sigmoid:
    case Activation::Sine:
      return false;
  }
  return false;
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
    case Activation::ELU:  // y = x if x > 0 else alpha (e^x - 1)
      for (std::size_t i = 0; i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : kELUAlpha * (vmath::exp(x[i]) - 1.0f);
      break;
    case Activation::Softplus:  // y = log(1 + e^x) = max(x, 0) + log1p(e^-|x|)
      for (std::size_t i = 0; i < n; ++i) y[i] = vmath::softplus(x[i]);
      break;
    case Activation::SiLU:  // y = x sigma(x) = x / (1 + e^-x)
      for (std::size_t i = 0; i < n; ++i) y[i] = x[i] / (1.0f + vmath::exp(-x[i]));
      break;
    case Activation::GELU:  // y = x/2 (1 + tanh u) = x sigma(2u), u = sqrt(2/pi) (x + 0.044715 x^3)
      // PyTorch's GELU(approximate='tanh'), not the erf form. Written as x sigma(2u), which is the
      // same function, because 1 + tanh u cancels to nothing for negative x.
      for (std::size_t i = 0; i < n; ++i) {
        const float u = kGeluC * (x[i] + kGeluA * x[i] * x[i] * x[i]);
        y[i] = x[i] / (1.0f + vmath::exp(-2.0f * u));
      }
      break;
    case Activation::Mish:  // y = x tanh(softplus x) = x m / (m + 2), m = e^x (e^x + 2)
      for (std::size_t i = 0; i < n; ++i) {
        const float e = vmath::exp(x[i] < kMishClamp ? x[i] : kMishClamp);
        const float m = e * (e + 2.0f);
        y[i] = x[i] * (m / (m + 2.0f));  // not (x m) / ...: x m overflows for huge x
      }
      break;
    case Activation::Sine:  // y = sin x (libm: no vectorised sine here)
      for (std::size_t i = 0; i < n; ++i) y[i] = std::sin(x[i]);
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
    case Activation::ELU:  // dx = dy if x > 0 else dy (y + alpha)   [alpha e^x = y + alpha]
      for (std::size_t i = 0; i < n; ++i) dx[i] = x[i] > 0.0f ? dy[i] : dy[i] * (y[i] + kELUAlpha);
      break;
    case Activation::Softplus:  // dx = dy sigma(x)
      for (std::size_t i = 0; i < n; ++i) dx[i] = dy[i] * vmath::sigmoid(x[i]);
      break;
    case Activation::SiLU:  // dx = dy s (1 + x (1 - s)), s = sigma(x) = 1 / (1 + e^-x), 1 - s = e^-x s
      for (std::size_t i = 0; i < n; ++i) {
        const float e = vmath::exp(-x[i]);
        const float s = 1.0f / (1.0f + e);
        dx[i] = dy[i] * s * (1.0f + x[i] * (e * s));
      }
      break;
    case Activation::GELU:  // dx = dy (s + 2 x s (1 - s) du/dx), s = sigma(2u), du/dx = c (1 + 3 a x^2)
      for (std::size_t i = 0; i < n; ++i) {
        // Beyond +-10 the derivative is 1 or 0 to float precision; clamping there keeps vmath::exp's
        // own clamp (e >= 1.2e-38) from being multiplied up by x^3 for huge x.
        const float xc = x[i] < -kGeluClamp ? -kGeluClamp : (x[i] > kGeluClamp ? kGeluClamp : x[i]);
        const float x2 = xc * xc;
        const float e = vmath::exp(-2.0f * kGeluC * (xc + kGeluA * x2 * xc));
        const float s = 1.0f / (1.0f + e);
        const float du = kGeluC * (1.0f + 3.0f * kGeluA * x2);
        dx[i] = dy[i] * (s + xc * (e * s) * s * 2.0f * du);  // (e s) s = s (1 - s), never overflows
      }
      break;
    case Activation::Mish:  // dx = dy (t + x sigma(x) (1 - t^2)), t = m / (m + 2), 1 - t^2 = 2 (1 + t) / (m + 2)
      for (std::size_t i = 0; i < n; ++i) {
        const float xc = x[i] < kMishClamp ? x[i] : kMishClamp;  // the derivative is 1 from there on
        const float e = vmath::exp(xc);
        const float m = e * (e + 2.0f);
        const float t = m / (m + 2.0f);
        const float sigma = e / (1.0f + e);
        dx[i] = dy[i] * (t + xc * sigma * (2.0f * (1.0f + t) / (m + 2.0f)));
      }
      break;
    case Activation::Sine:  // dx = dy cos x
      for (std::size_t i = 0; i < n; ++i) dx[i] = dy[i] * std::cos(x[i]);
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
  if (dx) backward_input(x, y, dy, *dx, batch);
}

void ActivationLayer::backward_input(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx, int batch) const {
  parallel::parallel_for(batch_elements(x, batch), kMinPerThread, [&](std::size_t b, std::size_t e) {
    activation_backward(activation_, x.data() + b, y.data() + b, dy.data() + b, dx.data() + b, e - b);
  });
}

}  // namespace netlens::nn
