#include "nn/layers/flatten.hpp"

#include <algorithm>

namespace netlens::nn {

void Flatten::forward(const Tensor& x, Tensor& y, int batch) const {
  std::copy_n(x.data(), x.size() / static_cast<std::size_t>(x.dim(0)) * static_cast<std::size_t>(batch), y.data());
}

void Flatten::backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx, int batch) {
  if (dx) backward_input(x, y, dy, *dx, batch);
}

void Flatten::backward_input(const Tensor& x, const Tensor&, const Tensor& dy, Tensor& dx, int batch) const {
  std::copy_n(dy.data(), x.size() / static_cast<std::size_t>(x.dim(0)) * static_cast<std::size_t>(batch), dx.data());
}

}  // namespace netlens::nn
