#include "train/health.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

using namespace netlens;
using nlohmann::json;

namespace {
train::Session session_for(const json& j) { return train::Session(train::parse_run_spec(j)); }
}  // namespace

TEST(Health, AHealthyRunHasNoNotice) {
  auto s = session_for(json{{"activation", "relu"}, {"hidden_layers", {{{"units", 8}}}}});
  EXPECT_EQ(train::stuck_notice(s), "");
  for (int e = 0; e < 20; ++e) s.train_epoch();
  EXPECT_EQ(train::stuck_notice(s), "");
}

TEST(Health, ALayerWhoseEveryUnitOutputsZeroIsDead) {
  auto s = session_for(json{{"hidden_layers", {{{"units", 3}}, {{"units", 8}, {"activation", "relu"}}}}});
  for (int u = 0; u < 8; ++u) s.set_param(1, u, -1, -100.0f);  // a bias no input of tanh in [-1, 1] overcomes
  EXPECT_EQ(train::stuck_notice(s),
            "all 8 units of layer 2 are dead (relu outputs 0 for every point): lower the learning rate and reset");
  s.set_param(1, 7, -1, 0.5f);  // one unit alive: the layer can still learn
  EXPECT_EQ(train::stuck_notice(s), "");
}

TEST(Health, ReluAtTheLargestLearningRateDiesOnTheCircle) {
  auto s = session_for(json{{"activation", "relu"}, {"learning_rate", 10}});
  for (int e = 0; e < 5; ++e) s.train_epoch();
  EXPECT_NE(train::stuck_notice(s).find("are dead (relu outputs 0 for every point)"), std::string::npos);
}

TEST(Health, ATanhOutputAtOneClassForEveryPointIsSaturated) {
  auto s = session_for(json{{"hidden_layers", {{{"units", 2}}}}});
  for (int u = 0; u < 2; ++u) s.set_param(1, 0, u, 0.0f);
  s.set_param(1, 0, -1, -50.0f);
  EXPECT_EQ(train::stuck_notice(s), "the output is saturated (tanh at -1 for every point, so its gradient vanishes): "
                                    "lower the learning rate and reset");
  auto logits = session_for(json{{"hidden_layers", {{{"units", 2}}}}, {"loss", "binary_cross_entropy"}});
  logits.set_param(1, 0, -1, -50.0f);
  EXPECT_EQ(train::stuck_notice(logits), "") << "a logit's loss keeps its gradient";
}
