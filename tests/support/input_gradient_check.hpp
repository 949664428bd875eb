#pragma once
// Layer::backward_input against Layer::backward: for a random dy, both must write the same dx,
// value for value, and backward_input must leave every parameter gradient as it was.
#include <gtest/gtest.h>

#include <vector>

#include "core/rng.hpp"
#include "nn/layers/layer.hpp"

namespace netlens::test {

inline void expect_input_gradient_matches_backward(nn::Layer& layer, const Tensor& x, int batch, std::uint64_t seed = 5) {
  Shape per_sample(x.shape().begin() + 1, x.shape().end());
  Shape out_shape{x.dim(0)};
  for (int d : layer.output_shape(per_sample)) out_shape.push_back(d);
  Tensor y(out_shape), dy(out_shape), dx_backward(x.shape()), dx_input(x.shape(), -7.0f);
  Rng rng(seed);
  for (auto& v : dy.values()) v = static_cast<float>(rng.normal(0.0, 1.0));
  layer.forward(x, y, batch);
  layer.backward(x, y, dy, &dx_backward, batch);
  std::vector<std::vector<float>> grads;
  for (const auto& p : layer.params()) grads.push_back(p.grad->values());
  for (const auto& p : layer.params()) p.grad->fill(123.0f);
  const nn::Layer& constant = layer;
  constant.backward_input(x, y, dy, dx_input, batch);
  const std::size_t n = x.size() / static_cast<std::size_t>(x.dim(0)) * static_cast<std::size_t>(batch);
  for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(dx_input[i], dx_backward[i]) << layer.name() << " at " << i;
  for (const auto& p : layer.params())
    for (float g : p.grad->values()) ASSERT_EQ(g, 123.0f) << layer.name() << ": backward_input wrote a parameter gradient";
}

}  // namespace netlens::test
