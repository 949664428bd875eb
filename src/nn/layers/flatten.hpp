#pragma once
// Flatten: (B, C, H, W) to (B, C * H * W); the values are already in that order, so forward and
// backward are copies.
#include "nn/layers/layer.hpp"

namespace netlens::nn {

class Flatten final : public Layer {
 public:
  std::string name() const override { return "Flatten"; }
  Shape output_shape(const Shape& input) const override { return {static_cast<int>(shape_size(input))}; }
  void forward(const Tensor& x, Tensor& y, int batch) const override;
  void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx, int batch) override;
  void backward_input(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx, int batch) const override;
};

}  // namespace netlens::nn
