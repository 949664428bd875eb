#pragma once
// Dropout (inverted): while training, each value is kept with probability 1 - rate and scaled
// by 1 / (1 - rate), else zeroed; in evaluation it passes unchanged. x and y alike, any shape.
// The mask is a hash of (seed, mask number, element index), so it needs no buffer: forward and
// backward of one step see the same mask, and set_training(true) draws the next one.
#include <cstdint>

#include "nn/layers/layer.hpp"

namespace netlens::nn {

class Dropout final : public Layer {
 public:
  Dropout(float rate, std::uint64_t seed);  // rate in [0, 1)

  std::string name() const override;
  Shape output_shape(const Shape& input) const override { return input; }
  void forward(const Tensor& x, Tensor& y, int batch) const override;
  void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx, int batch) override;
  void backward_input(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx, int batch) const override;
  void set_training(bool training) override;

  float rate() const { return rate_; }
  bool kept(std::size_t index) const;  // in the current mask

 private:
  float rate_;
  std::uint64_t seed_;
  std::uint64_t mask_ = 0;  // which mask: advanced by each set_training(true)
  bool training_ = false;
};

}  // namespace netlens::nn
