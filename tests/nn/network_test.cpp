#include "nn/network.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "nn/layers/activation.hpp"
#include "nn/layers/dense.hpp"
#include "nn/loss.hpp"
#include "support/gradient_check.hpp"

using namespace netlens;

namespace {
nn::Network small_mlp(Rng& rng) {
  nn::Network net({3});
  auto d1 = std::make_unique<nn::Dense>(3, 5);
  auto d2 = std::make_unique<nn::Dense>(5, 2);
  d1->init(nn::Init::Xavier, rng);
  d2->init(nn::Init::Xavier, rng);
  net.add(std::move(d1));
  net.add(std::make_unique<nn::ActivationLayer>(nn::Activation::Tanh));
  net.add(std::move(d2));
  return net;
}

double batch_loss(const nn::Network& net, nn::Workspace& ws, const Tensor& x, const Tensor& t, int batch) {
  std::copy(x.values().begin(), x.values().end(), ws.input().data());
  const Tensor& out = net.forward(ws, batch);
  return nn::loss_sum(nn::Loss::SoftmaxCrossEntropy, out.data(), t.data(), batch, 2);
}
}  // namespace

TEST(Network, BackpropMatchesFiniteDifferencesThroughAllLayers) {
  Rng rng(51);
  nn::Network net = small_mlp(rng);
  const int batch = 4;
  nn::Workspace ws = net.make_workspace(batch);
  Tensor x({batch, 3}), t({batch, 2});
  test::fill_away_from_zero(x, rng);
  for (int r = 0; r < batch; ++r) t[r * 2 + rng.below(2)] = 1.0f;

  batch_loss(net, ws, x, t, batch);
  nn::loss_gradient(nn::Loss::SoftmaxCrossEntropy, ws.output().data(), t.data(), batch, 2, 1.0f,
                    ws.output_grad().data());
  net.backward(ws, batch);

  for (const auto& p : net.params()) {
    const std::vector<float> analytic = p.grad->values();
    for (std::size_t i = 0; i < p.value->size(); ++i) {
      const float keep = (*p.value)[i];
      (*p.value)[i] = keep + test::kStep;
      const double plus = batch_loss(net, ws, x, t, batch);
      (*p.value)[i] = keep - test::kStep;
      const double minus = batch_loss(net, ws, x, t, batch);
      (*p.value)[i] = keep;
      const double numeric = (plus - minus) / (2 * test::kStep);
      EXPECT_LT(test::relative_error(analytic[i], numeric), test::kGradientTolerance) << i;
    }
  }
}

TEST(Network, WorkspacesOfDifferentSizesGiveTheSameOutputs) {
  Rng rng(52);
  nn::Network net = small_mlp(rng);
  nn::Workspace small = net.make_workspace(2), big = net.make_workspace(100);
  Tensor x({2, 3});
  test::fill_away_from_zero(x, rng);
  std::copy(x.values().begin(), x.values().end(), small.input().data());
  std::copy(x.values().begin(), x.values().end(), big.input().data());
  net.forward(small, 2);
  net.forward(big, 2);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(small.output()[i], big.output()[i]);
  EXPECT_EQ(big.output().dim(0), 100);
  EXPECT_EQ(net.output_shape(), Shape{2});
}

TEST(Network, AddingALayerOfTheWrongShapeNamesIt) {
  nn::Network net({3});
  net.add(std::make_unique<nn::Dense>(3, 4));
  try {
    net.add(std::make_unique<nn::Dense>(5, 1));
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("layers[1] Dense(5 -> 1)"), std::string::npos) << e.what();
  }
}
