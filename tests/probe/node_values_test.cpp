#include "probe/node_values.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "nn/layers/dense.hpp"
#include "train/traced_run.hpp"

using namespace netlens;

// A 2-2-1 tanh network's nodes for one point, against z = W^T x + b and tanh(z) by hand.
TEST(NodeValues, AreEachLayersPreActivationActivationAndBias) {
  train::TracedRun run(train::TracedRunSpec{});
  run.advance();
  const auto& net = run.session().network();
  const auto v = probe::node_values(run.session(), 0.3f, -0.7f);
  ASSERT_EQ(v.layers.size(), 2u);
  EXPECT_EQ(v.inputs, (std::vector<float>{0.3f, -0.7f}));
  const auto& h = dynamic_cast<const nn::Dense&>(net.layer(0));
  const auto& o = dynamic_cast<const nn::Dense&>(net.layer(2));
  double hidden[2];
  for (int j = 0; j < 2; ++j) {
    const double z = 0.3 * h.weight()[j] - 0.7 * h.weight()[2 + j] + h.bias()[j];
    hidden[j] = std::tanh(z);
    EXPECT_NEAR(v.layers[0].pre[j], z, 1e-6);
    EXPECT_NEAR(v.layers[0].activation[j], hidden[j], 1e-5);
    EXPECT_EQ(v.layers[0].bias[j], h.bias()[j]);
  }
  const double z = hidden[0] * o.weight()[0] + hidden[1] * o.weight()[1] + o.bias()[0];
  EXPECT_NEAR(v.layers[1].pre[0], z, 1e-5);
  EXPECT_NEAR(v.layers[1].activation[0], std::tanh(z), 1e-5);
}
