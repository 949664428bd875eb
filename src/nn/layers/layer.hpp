#pragma once
// Layer: one step of a network, with its forward and backward side by side.
// Shapes are per sample; tensors passed in carry the batch as their first dimension and have
// room for at least `batch` rows (workspaces are sized once for a maximum batch).
#include <string>
#include <vector>

#include "core/tensor.hpp"

namespace netlens::nn {

// A trainable tensor and its gradient. `regularize` is false for biases.
struct Param {
  Tensor* value;
  Tensor* grad;
  bool regularize;
};

class Layer {
 public:
  virtual ~Layer() = default;
  virtual std::string name() const = 0;  // "Dense(2 -> 8)"
  virtual Shape output_shape(const Shape& input) const = 0;
  // y = f(x) for the first `batch` rows.
  virtual void forward(const Tensor& x, Tensor& y, int batch) const = 0;
  // Given dy = dL/dy, writes (overwrites, not adds) the parameter gradients and, when dx is
  // not null, dx = dL/dx. x and y are the tensors of the forward pass.
  virtual void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx, int batch) = 0;
  // dx = dL/dx from dy alone, writing no parameter gradient (input attributions, activation
  // maximisation): the same dx as backward's, from a const layer, so several threads may share it.
  virtual void backward_input(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx, int batch) const = 0;
  virtual std::vector<Param> params() { return {}; }
  // Layers that behave differently while training (Dropout) switch here; the rest ignore it.
  virtual void set_training(bool) {}
};

}  // namespace netlens::nn
