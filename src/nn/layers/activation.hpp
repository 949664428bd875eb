#pragma once
// Elementwise activations and the layer that applies one. Shapes: x and y alike, any shape.
#include <string>
#include <string_view>
#include <vector>

#include "nn/layers/layer.hpp"

namespace netlens::nn {

// Formulas in activation.cpp. GELU is the tanh approximation (PyTorch's approximate='tanh').
enum class Activation { Linear, ReLU, LeakyReLU, Tanh, Sigmoid, ELU, Softplus, SiLU, GELU, Mish, Sine };

inline constexpr float kLeakyReLUSlope = 0.01f;
inline constexpr float kELUAlpha = 1.0f;

std::string_view activation_name(Activation a);  // "tanh"
std::vector<std::string_view> activation_names();  // every name, in the order users see them
// Accepts every activation_name() and the alias "swish" for SiLU; throws Error otherwise.
Activation parse_activation(std::string_view name, const std::string& where);
// ReLU-shaped: slope about 0 for x << 0 and 1 for x >> 0 (ReLU, leaky ReLU, ELU, softplus, SiLU,
// GELU, Mish). The layer before one wants He rather than Xavier initialisation.
bool is_relu_like(Activation a);
void activation_forward(Activation a, const float* x, float* y, std::size_t n);
void activation_backward(Activation a, const float* x, const float* y, const float* dy, float* dx, std::size_t n);

class ActivationLayer final : public Layer {
 public:
  explicit ActivationLayer(Activation a) : activation_(a) {}
  Activation activation() const { return activation_; }

  std::string name() const override { return std::string(activation_name(activation_)); }
  Shape output_shape(const Shape& input) const override { return input; }
  void forward(const Tensor& x, Tensor& y, int batch) const override;
  void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx, int batch) override;
  void backward_input(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx, int batch) const override;

 private:
  Activation activation_;
};

}  // namespace netlens::nn
