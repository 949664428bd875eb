#pragma once
// Small hand-built networks with known answers for the Lurk tests (reference lurk.md §3).
#include <memory>
#include <vector>

#include "core/rng.hpp"
#include "nn/layers/activation.hpp"
#include "nn/layers/conv2d.hpp"
#include "nn/layers/dense.hpp"
#include "nn/layers/flatten.hpp"
#include "nn/layers/pool.hpp"
#include "nn/network.hpp"

namespace netlens::test {

// N1 (Captum's BasicModel_ConvNet_One_Conv): 1x4x4 input; conv 1 -> 2, 3x3 all-ones kernels,
// biases (-50, -75), ReLU; flatten; dense 8 -> 4, every output's weights
// [1, 1, 1, 1, 1, -1, -1, -1], no bias; ReLU. Layers 0..4; the target is unit 0 of layer 4.
inline nn::Network reference_n1() {
  nn::Network net({1, 4, 4});
  auto conv = std::make_unique<nn::Conv2D>(nn::Conv2DShape{1, 4, 4, 2, 3, 1, 0});
  conv->weight().fill(1.0f);
  conv->bias()[0] = -50.0f;
  conv->bias()[1] = -75.0f;
  net.add(std::move(conv));
  net.add(std::make_unique<nn::ActivationLayer>(nn::Activation::ReLU));
  net.add(std::make_unique<nn::Flatten>());
  auto fc = std::make_unique<nn::Dense>(8, 4);
  for (int i = 0; i < 8; ++i)
    for (int o = 0; o < 4; ++o) fc->weight()[static_cast<std::size_t>(i * 4 + o)] = i < 5 ? 1.0f : -1.0f;
  fc->bias().fill(0.0f);
  net.add(std::move(fc));
  net.add(std::make_unique<nn::ActivationLayer>(nn::Activation::ReLU));
  return net;
}

inline std::vector<float> reference_n1_input() {  // arange(16)
  std::vector<float> x(16);
  for (int i = 0; i < 16; ++i) x[static_cast<std::size_t>(i)] = static_cast<float>(i);
  return x;
}

// y = W x + b on a (C, H, W) input: flatten, then one dense layer with random weights.
inline nn::Network linear_model(int c, int h, int w, int classes, std::uint64_t seed) {
  nn::Network net({c, h, w});
  net.add(std::make_unique<nn::Flatten>());
  auto fc = std::make_unique<nn::Dense>(c * h * w, classes);
  Rng rng(seed);
  fc->init(nn::Init::Xavier, rng);
  for (auto& b : fc->bias().values()) b = static_cast<float>(rng.uniform(-1, 1));
  net.add(std::move(fc));
  return net;
}

// A random CNN: conv(pad 1) -> ReLU -> maxpool 2 -> conv -> ReLU -> flatten -> dense -> ReLU -> dense.
inline nn::Network random_cnn(int size, std::uint64_t seed, int channels = 4) {
  nn::Network net({1, size, size});
  Rng rng(seed);
  auto c1 = std::make_unique<nn::Conv2D>(nn::Conv2DShape{1, size, size, channels, 3, 1, 1});
  c1->init(rng);
  for (auto& b : c1->bias().values()) b = static_cast<float>(rng.uniform(-0.1, 0.1));
  net.add(std::move(c1));
  net.add(std::make_unique<nn::ActivationLayer>(nn::Activation::ReLU));
  net.add(std::make_unique<nn::MaxPool2D>(nn::Pool2DShape{channels, size, size, 2, 2}));
  const int h = size / 2;
  auto c2 = std::make_unique<nn::Conv2D>(nn::Conv2DShape{channels, h, h, 2 * channels, 3, 1, 0});
  c2->init(rng);
  for (auto& b : c2->bias().values()) b = static_cast<float>(rng.uniform(-0.1, 0.1));
  net.add(std::move(c2));
  net.add(std::make_unique<nn::ActivationLayer>(nn::Activation::ReLU));
  net.add(std::make_unique<nn::Flatten>());
  const int flat = 2 * channels * (h - 2) * (h - 2);
  auto d1 = std::make_unique<nn::Dense>(flat, 16);
  d1->init(nn::Init::He, rng);
  for (auto& b : d1->bias().values()) b = static_cast<float>(rng.uniform(-0.1, 0.1));
  net.add(std::move(d1));
  net.add(std::make_unique<nn::ActivationLayer>(nn::Activation::ReLU));
  auto d2 = std::make_unique<nn::Dense>(16, 3);
  d2->init(nn::Init::Xavier, rng);
  net.add(std::move(d2));
  return net;
}

inline std::vector<float> random_image(int n, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<float> x(static_cast<std::size_t>(n));
  for (auto& v : x) v = static_cast<float>(rng.uniform());
  return x;
}

}  // namespace netlens::test
