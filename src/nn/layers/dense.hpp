#pragma once
// Dense: a fully connected layer. x is (B, in), W is (in, out) so the inner loops run over
// contiguous outputs, b is (out), y is (B, out).
#include "core/rng.hpp"
#include "nn/layers/layer.hpp"

namespace netlens::nn {

enum class Init { Xavier, He, Playground };

class Dense final : public Layer {
 public:
  Dense(int in, int out);

  std::string name() const override;
  Shape output_shape(const Shape& input) const override;
  void forward(const Tensor& x, Tensor& y, int batch) const override;
  void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx, int batch) override;
  void backward_input(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx, int batch) const override;
  std::vector<Param> params() override;

  // Xavier: W ~ U(+-sqrt(6 / (in + out))); He: W ~ N(0, sqrt(2 / in)); biases zero.
  // Playground (TensorFlow Playground's): W ~ U(+-0.5), biases 0.1.
  void init(Init kind, Rng& rng);

  int in() const { return in_; }
  int out() const { return out_; }
  Tensor& weight() { return w_; }
  Tensor& bias() { return b_; }
  const Tensor& weight() const { return w_; }
  const Tensor& bias() const { return b_; }

 private:
  int in_, out_;
  Tensor w_, b_, dw_, db_;
};

}  // namespace netlens::nn
