#pragma once
// Conv2D: 2D convolution (cross-correlation, as every framework computes it).
//   x (B, C, H, W), W (K, C * F * F), b (K), y (B, K, H', W'),
//   H' = (H + 2P - F) / S + 1, likewise W'.
// A direct convolution vectorised along the output row (conv2d.cpp); dx is the same kernel
// run on dy with W transposed and flipped, so one routine serves forward and input gradient.
#include "core/rng.hpp"
#include "nn/layers/layer.hpp"

namespace netlens::nn {

struct Conv2DShape {
  int in_channels, height, width;  // the input
  int out_channels, filter, stride = 1, padding = 0;
  int out_height() const { return (height + 2 * padding - filter) / stride + 1; }
  int out_width() const { return (width + 2 * padding - filter) / stride + 1; }
  int patch() const { return in_channels * filter * filter; }
};

class Conv2D final : public Layer {
 public:
  explicit Conv2D(const Conv2DShape& shape);  // throws Error for an impossible shape

  std::string name() const override;
  Shape output_shape(const Shape& input) const override;
  void forward(const Tensor& x, Tensor& y, int batch) const override;
  void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx, int batch) override;
  // dx = dL/dx from dy alone (the layer is linear in x): writes no parameter gradient, so
  // several threads may call it at once. backward calls it for dx.
  void backward_input(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx, int batch) const override;
  std::vector<Param> params() override;

  void init(Rng& rng);  // He: W ~ N(0, sqrt(2 / (C F F))), biases zero
  const Conv2DShape& shape() const { return s_; }
  Tensor& weight() { return w_; }
  Tensor& bias() { return b_; }
  const Tensor& weight() const { return w_; }
  const Tensor& bias() const { return b_; }

 private:
  Conv2DShape s_;
  Tensor w_, b_, dw_, db_;
  std::vector<Tensor> partial_;  // per batch chunk: dW then db in vector lanes, summed into dw_ and db_
};

}  // namespace netlens::nn
