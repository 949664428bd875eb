#pragma once
// Elementwise activations and the layer that applies one. Shapes: x and y alike, any shape.
#include <string>
#include <string_view>

#include "nn/layers/layer.hpp"

namespace netlens::nn {

enum class Activation { Linear, ReLU, LeakyReLU, Tanh, Sigmoid };

inline constexpr float kLeakyReLUSlope = 0.01f;

std::string_view activation_name(Activation a);        // "tanh"
Activation parse_activation(std::string_view name, const std::string& where);  // throws Error
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

 private:
  Activation activation_;
};

}  // namespace netlens::nn
