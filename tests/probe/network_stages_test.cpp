#include "probe/network_stages.hpp"

#include <gtest/gtest.h>

#include "nn/image_network.hpp"

using namespace netlens;
using nlohmann::json;

TEST(NetworkStages, ConvPoolDenseAndOutputWithActivationsFoldedIn) {
  const json config{{"input_size", 8},
                    {"layers", {{{"type", "conv"}, {"out_channels", 2}, {"filter_size", 3}, {"padding", 1}}, {{"type", "relu"}},
                                {{"type", "maxpool"}}, {{"type", "flatten"}}, {{"type", "dropout"}},
                                {{"type", "dense"}, {"out_features", 5}}, {{"type", "relu"}},
                                {{"type", "dense"}, {"out_features", 10}}, {{"type", "softmax"}}}}};
  nn::Network net = nn::build_image_network(nn::parse_image_network(config), 1);
  const auto stages = probe::network_stages(net);
  ASSERT_EQ(stages.size(), 5u);
  const std::vector<std::string> kinds{"input", "conv", "pool", "dense", "output"};
  const std::vector<std::size_t> acts{0, 2, 3, 7, 8};  // conv's after its relu, dense's after its relu
  for (std::size_t i = 0; i < stages.size(); ++i) {
    EXPECT_EQ(stages[i].kind, kinds[i]);
    EXPECT_EQ(stages[i].act, acts[i]);
  }
  EXPECT_EQ(stages[2].shape, (Shape{2, 4, 4}));

  nn::Workspace ws = net.make_workspace(1);
  for (std::size_t i = 0; i < ws.input().size(); ++i) ws.input()[i] = static_cast<float>(i % 7) / 7.0f;
  net.forward(ws, 1);
  const auto values = probe::stage_values(stages, ws);
  float sum = 0;
  for (float p : values.back().values()) {
    sum += p;
    EXPECT_GT(p, 0.0f);
  }
  EXPECT_NEAR(sum, 1.0f, 1e-5f) << "the output stage holds probabilities";
  for (float v : values[1].values()) EXPECT_GE(v, 0.0f) << "after the ReLU";

  const auto weights = probe::stage_weights(stages, net);
  EXPECT_EQ(weights[0].size(), 0u);
  EXPECT_EQ(weights[1].shape(), (Shape{2, 1, 3, 3}));
  EXPECT_EQ(weights[3].shape(), (Shape{32, 5}));
  EXPECT_EQ(weights[4].shape(), (Shape{5, 10}));
}
