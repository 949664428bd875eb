#pragma once
// Softmax over each row: x and y are (B, K).
#include "nn/layers/layer.hpp"

namespace netlens::nn {

class Softmax final : public Layer {
 public:
  std::string name() const override { return "softmax"; }
  Shape output_shape(const Shape& input) const override;
  void forward(const Tensor& x, Tensor& y, int batch) const override;
  void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx, int batch) override;
  void backward_input(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx, int batch) const override;
};

// y = softmax(x) for one row of k values, computed stably (max subtracted).
void softmax_row(const float* x, float* y, int k);

}  // namespace netlens::nn
