#pragma once
// 2D pooling over each channel: x (B, C, H, W), y (B, C, H', W'), H' = (H - F) / S + 1.
//   MaxPool2D: y = max of the window; the gradient flows to the window's first maximum.
//   AvgPool2D: y = mean of the window; the gradient is shared equally.
#include "nn/layers/layer.hpp"

namespace netlens::nn {

struct Pool2DShape {
  int channels, height, width;  // the input
  int filter, stride;
  int out_height() const { return (height - filter) / stride + 1; }
  int out_width() const { return (width - filter) / stride + 1; }
};

class Pool2D : public Layer {
 public:
  Shape output_shape(const Shape& input) const override;
  const Pool2DShape& shape() const { return s_; }

 protected:
  Pool2D(const Pool2DShape& shape, const char* kind);
  Pool2DShape s_;
  const char* kind_;
};

class MaxPool2D final : public Pool2D {
 public:
  explicit MaxPool2D(const Pool2DShape& shape) : Pool2D(shape, "MaxPool2D") {}
  std::string name() const override;
  void forward(const Tensor& x, Tensor& y, int batch) const override;
  void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx, int batch) override;
  // dx = dL/dx from the input x and dy; const (no state), so several threads may call it.
  void backward_input(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx, int batch) const override;
};

class AvgPool2D final : public Pool2D {
 public:
  explicit AvgPool2D(const Pool2DShape& shape) : Pool2D(shape, "AvgPool2D") {}
  std::string name() const override;
  void forward(const Tensor& x, Tensor& y, int batch) const override;
  void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx, int batch) override;
  // dx = dL/dx from dy alone; const, so several threads may call it.
  void backward_input(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx, int batch) const override;
};

}  // namespace netlens::nn
