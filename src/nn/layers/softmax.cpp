#include "nn/layers/softmax.hpp"

#include <algorithm>
#include "core/error.hpp"
#include "core/vmath.hpp"

namespace netlens::nn {

Shape Softmax::output_shape(const Shape& input) const {
  if (input.size() != 1) throw Error("softmax", "expects a flat input, got " + shape_string(input));
  return input;
}

// y_j = e^(x_j - max x) / sum_k e^(x_k - max x)
void softmax_row(const float* x, float* y, int k) {
  const float m = *std::max_element(x, x + k);
  float sum = 0.0f;
  for (int j = 0; j < k; ++j) sum += (y[j] = vmath::exp(x[j] - m));
  const float inv = 1.0f / sum;
  for (int j = 0; j < k; ++j) y[j] *= inv;
}

void Softmax::forward(const Tensor& x, Tensor& y, int batch) const {
  const int k = x.dim(1);
  for (int n = 0; n < batch; ++n) softmax_row(x.data() + n * k, y.data() + n * k, k);
}

void Softmax::backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx, int batch) {
  if (dx) backward_input(x, y, dy, *dx, batch);
}

// dx_j = y_j (dy_j - sum_k dy_k y_k)
void Softmax::backward_input(const Tensor&, const Tensor& y, const Tensor& dy, Tensor& dx, int batch) const {
  const int k = y.dim(1);
  for (int n = 0; n < batch; ++n) {
    const float* yn = y.data() + n * k;
    const float* dyn = dy.data() + n * k;
    float dot = 0.0f;
    for (int j = 0; j < k; ++j) dot += dyn[j] * yn[j];
    float* dxn = dx.data() + n * k;
    for (int j = 0; j < k; ++j) dxn[j] = yn[j] * (dyn[j] - dot);
  }
}

}  // namespace netlens::nn
