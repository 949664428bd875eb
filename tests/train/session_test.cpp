#include "train/session.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "support/allocation_counter.hpp"

using namespace netlens;
using nlohmann::json;

namespace {
train::Session session_for(const json& j) { return train::Session(train::parse_run_spec(j)); }
}  // namespace

TEST(Session, SplitsTheDataByTheTrainRatio) {
  auto s = session_for(json{{"train_ratio", 0.3}});
  EXPECT_EQ(s.train_set().size(), 150);
  EXPECT_EQ(s.test_set().size(), 350);
  EXPECT_EQ(s.train_set().inputs.dim(1), 2);
}

TEST(Session, DefaultCircleRunLearns) {
  auto s = session_for(json::object());
  const double before = s.evaluate().test_loss;
  for (int e = 0; e < 150; ++e) s.train_epoch();
  const auto m = s.evaluate();
  EXPECT_EQ(m.epoch, 150);
  EXPECT_LT(m.test_loss, 0.05);
  EXPECT_LT(m.test_loss, before / 5);
  EXPECT_GT(*m.test_accuracy, 0.97);
}

TEST(Session, SameSeedSameRunOtherSeedOtherRun) {
  auto a = session_for(json{{"seed", 3}}), b = session_for(json{{"seed", 3}}), c = session_for(json{{"seed", 4}});
  for (int e = 0; e < 5; ++e) {
    a.train_epoch();
    b.train_epoch();
    c.train_epoch();
  }
  EXPECT_EQ(a.evaluate().test_loss, b.evaluate().test_loss);
  EXPECT_NE(a.evaluate().test_loss, c.evaluate().test_loss);
}

TEST(Session, ResetRestoresTheInitialWeightsAndEpoch) {
  auto s = session_for(json::object());
  const double initial = s.evaluate().test_loss;
  s.train_epoch();
  s.train_epoch();
  EXPECT_NE(s.evaluate().test_loss, initial);
  s.reset();
  EXPECT_EQ(s.epoch(), 0);
  EXPECT_EQ(s.evaluate().test_loss, initial);
  s.train_epoch();
  auto fresh = session_for(json::object());
  fresh.train_epoch();
  EXPECT_EQ(s.evaluate().test_loss, fresh.evaluate().test_loss);
}

TEST(Session, PlaygroundInitDrawsWeightsInPlusMinusHalfAndBiasesOfATenth) {
  auto s = session_for(json{{"init", "playground"}, {"hidden_layers", {{{"units", 8}}}}});
  float largest = 0;
  for (const auto& p : s.network().params())
    for (std::size_t i = 0; i < p.value->size(); ++i) {
      const float v = p.value->data()[i];
      if (p.regularize) largest = std::max(largest, std::abs(v));
      else EXPECT_FLOAT_EQ(v, 0.1f);
    }
  EXPECT_LE(largest, 0.5f);
  EXPECT_GT(largest, 0.4f);  // 2*8 + 8 weights spread over the whole range
  // He draws from N(0, sqrt(2 / in)): with 2 inputs, weights beyond 0.5 are common.
  auto he = session_for(json{{"init", "he"}, {"hidden_layers", {{{"units", 8}}}}});
  float he_largest = 0;
  for (float v : he.network().params()[0].value->values()) he_largest = std::max(he_largest, std::abs(v));
  EXPECT_GT(he_largest, 0.5f);
  EXPECT_EQ(he.network().params()[1].value->values()[0], 0.0f);
}

TEST(Session, SevenClassRunHasOneHotTargetsAndLearns) {
  auto s = session_for(json{{"dataset", "blobs7"}, {"num_samples", 700}, {"optimizer", "adam"},
                            {"learning_rate", 0.01}, {"hidden_layers", {{{"units", 8}}, {{"units", 8}}}}});
  ASSERT_EQ(s.train_set().targets.dim(1), 7);
  for (int i = 0; i < s.train_set().size(); ++i) {
    const float* t = s.train_set().targets.data() + i * 7;
    const int label = static_cast<int>(s.train_set().points[static_cast<std::size_t>(i)].label);
    for (int c = 0; c < 7; ++c) ASSERT_EQ(t[c], c == label ? 1.0f : 0.0f);
  }
  const double chance = *s.evaluate().test_accuracy;
  EXPECT_LT(chance, 0.4);
  for (int e = 0; e < 60; ++e) s.train_epoch();
  const auto m = s.evaluate();
  EXPECT_GT(*m.test_accuracy, 0.95);  // accuracy by argmax over the seven logits
}

TEST(Session, CountsTheExamplesSeen) {
  auto s = session_for(json{{"batch_size", 30}});  // 250 training points
  s.train_step();
  EXPECT_EQ(s.examples_seen(), 30);
  s.train_epoch();
  EXPECT_EQ(s.examples_seen(), 250);
  s.train_epoch();
  EXPECT_EQ(s.examples_seen(), 500);
  s.reset();
  EXPECT_EQ(s.examples_seen(), 0);
}

TEST(Session, AnEpochIsOnePassInMiniBatches) {
  auto s = session_for(json{{"batch_size", 30}});  // 250 points: 8 full batches and one of 10
  s.train_epoch();
  EXPECT_EQ(s.steps(), 9);
  EXPECT_EQ(s.epoch(), 1);
}

TEST(Session, TrainingStepAllocatesNothing) {
  auto s = session_for(json{{"optimizer", "adam"}, {"hidden_layers", json::array({{{"units", 8}}, {{"units", 8}}})}});
  s.train_step();  // first step may size nothing new, but run it outside the count anyway
  const long before = test::allocations();
  for (int i = 0; i < 200; ++i) s.train_step();
  EXPECT_EQ(test::allocations() - before, 0);
}

TEST(Session, EstimatedBytesBoundWhatBuildingAllocates) {
  const json specs[] = {
      json::object(),
      {{"optimizer", "adam"}, {"batch_size", 256}, {"num_samples", 20000}, {"features", {"x1", "x2", "x1^2", "sin_x1"}},
       {"hidden_layers", json::array({{{"units", 512}}, {{"units", 256}}, {{"units", 64}}})}},
      {{"optimizer", "momentum"}, {"loss", "softmax_cross_entropy"}, {"hidden_layers", json::array({{{"units", 1024}}})}},
  };
  for (const auto& j : specs) {
    const auto spec = train::parse_run_spec(j);
    const std::size_t before = test::allocated_bytes();
    train::Session s(spec);
    const std::size_t allocated = test::allocated_bytes() - before;
    const std::size_t estimate = train::Session::estimate_bytes(spec);
    EXPECT_LE(allocated, estimate) << j;
    EXPECT_LE(estimate, 2 * allocated + (256 << 10)) << j << ": a bound far above the need refuses runs that fit";
  }
}

TEST(Session, EveryLossAndOptimizerLearnsXor) {
  for (const char* loss : {"squared_error", "binary_cross_entropy", "softmax_cross_entropy"})
    for (const char* opt : {"sgd", "momentum", "adam"}) {
      const double lr = std::string(opt) == "adam" ? 0.01 : 0.03;
      auto s = session_for(json{{"dataset", "xor"},
                                {"loss", loss},
                                {"optimizer", opt},
                                {"learning_rate", lr},
                                {"features", {"x1", "x2", "x1x2"}}});
      for (int e = 0; e < 40; ++e) s.train_epoch();
      EXPECT_GT(*s.evaluate().test_accuracy, 0.9) << loss << " " << opt;
    }
}

TEST(Session, RegressionOnThePlaneFitsTheTarget) {
  auto s = session_for(json{{"dataset", "plane"}, {"hidden_layers", json::array()}});
  for (int e = 0; e < 20; ++e) s.train_epoch();
  const auto m = s.evaluate();
  EXPECT_LT(m.test_loss, 1e-3);
  EXPECT_FALSE(m.test_accuracy.has_value());
}

TEST(Session, AHugeLearningRateDivergesToANonFiniteLossWithoutCrashing) {
  auto s = session_for(json{{"dataset", "plane"}, {"learning_rate", 10}});
  for (int e = 0; e < 5; ++e) s.train_epoch();
  EXPECT_FALSE(std::isfinite(s.evaluate().train_loss));
  s.reset();
  EXPECT_TRUE(std::isfinite(s.evaluate().train_loss));
}

TEST(Session, DisplayOutputsMapEveryLossToMinusOneToOne) {
  const float logits[] = {0.0f, 2.0f, -2.0f};  // feature-major: one output, three points
  float values[3];
  session_for(json::object()).display_outputs(logits, 3, values);  // squared error: as is
  EXPECT_FLOAT_EQ(values[1], 2.0f);
  session_for(json{{"loss", "binary_cross_entropy"}}).display_outputs(logits, 3, values);
  EXPECT_NEAR(values[0], 0.0f, 1e-7);
  EXPECT_NEAR(values[1], 2.0 / (1.0 + std::exp(-2.0)) - 1.0, 1e-6);  // 2 s(z) - 1
  const float two_class[] = {0.0f, 1.0f, 3.0f, /* class 1: */ 0.0f, 3.0f, 1.0f};
  session_for(json{{"loss", "softmax_cross_entropy"}}).display_outputs(two_class, 3, values);
  EXPECT_NEAR(values[0], 0.0f, 1e-7);
  const double p1 = 1.0 / (1.0 + std::exp(-2.0));  // softmax of (1, 3): p1 for class 1
  EXPECT_NEAR(values[1], p1 - (1 - p1), 1e-6);
  EXPECT_NEAR(values[2], -(p1 - (1 - p1)), 1e-6);
}

TEST(Session, DataSeedChangesThePointsButNotTheInitialWeights) {
  auto a = session_for(json::object()), b = session_for(json{{"data_seed", 7}}), c = session_for(json{{"seed", 7}});
  EXPECT_NE(a.train_set().points[0].x1, b.train_set().points[0].x1);
  EXPECT_EQ(a.train_set().points[0].x1, c.train_set().points[0].x1);
  const auto weights = [](train::Session& s) { return std::vector<float>(s.network().params()[0].value->data(), s.network().params()[0].value->data() + 8); };
  EXPECT_EQ(weights(a), weights(b));
  EXPECT_NE(weights(a), weights(c));
}

TEST(Session, TheConfusionMatrixCountsEveryTestPointByTargetAndPrediction) {
  auto s = session_for(json::object());
  for (int e = 0; e < 100; ++e) s.train_epoch();
  const auto m = s.evaluate();
  ASSERT_EQ(m.confusion.size(), 2u);
  const int total = m.confusion[0][0] + m.confusion[0][1] + m.confusion[1][0] + m.confusion[1][1];
  EXPECT_EQ(total, s.test_set().size());
  EXPECT_DOUBLE_EQ(double(m.confusion[0][0] + m.confusion[1][1]) / total, *m.test_accuracy);
  int positives = 0;
  for (const auto& p : s.test_set().points) positives += p.label > 0;
  EXPECT_EQ(m.confusion[1][0] + m.confusion[1][1], positives);
  EXPECT_TRUE(session_for(json{{"dataset", "plane"}}).evaluate().confusion.empty());
}

TEST(Session, AnAddedPointJoinsTheTrainingSetAndTrainingGoesOn) {
  auto s = session_for(json::object());
  s.train_epoch();
  const int before = s.train_set().size();
  const float w = s.network().params()[0].value->data()[0];
  s.add_point({5.5f, -5.5f, 1.0f});
  EXPECT_EQ(s.train_set().size(), before + 1);
  EXPECT_EQ(s.train_set().points.back().x1, 5.5f);
  EXPECT_EQ(s.network().params()[0].value->data()[0], w) << "weights are kept";
  EXPECT_EQ(s.custom_points().added.size(), 1u);
  s.train_epoch();
  EXPECT_EQ(s.epoch(), 2);
  // A rebuilt session with the same custom points has the same training set.
  train::Session again(s.spec(), s.custom_points());
  EXPECT_EQ(again.train_set().size(), before + 1);
}

TEST(Session, UploadedPointsReplaceTheGeneratedSet) {
  std::vector<data::Point2D> points;
  for (int i = 0; i < 40; ++i) points.push_back({float(i % 7) - 3, float(i % 5) - 2, i % 2 ? 1.0f : -1.0f});
  train::Session s(train::parse_run_spec(json{{"batch_size", 5}}), {points, {}});
  EXPECT_EQ(s.train_set().size() + s.test_set().size(), 40);
  EXPECT_EQ(s.train_set().size(), 20);
}

TEST(Session, SetParamChangesExactlyThatWeightOrBias) {
  auto s = session_for(json::object());
  auto params = s.network().params();  // W0 (2x4), b0 (4), W1 (4x2), ...
  s.set_param(0, 3, 1, 0.25f);         // from input 1 to unit 3
  EXPECT_EQ(params[0].value->data()[1 * 4 + 3], 0.25f);
  s.set_param(1, 1, -1, -2.0f);        // bias of unit 1 in the second layer
  EXPECT_EQ(params[3].value->data()[1], -2.0f);
  EXPECT_THROW(s.set_param(5, 0, 0, 1.0f), Error);
  EXPECT_THROW(s.set_param(0, 4, 0, 1.0f), Error);
  EXPECT_THROW(s.set_param(0, 0, 2, 1.0f), Error);
  EXPECT_THROW(s.set_param(0, 0, 0, NAN), Error);
}

TEST(Session, PrunedUnitsStopContributingAndStayPrunedUntilReset) {
  auto s = session_for(json{{"hidden_layers", json::array({json{{"units", 8}}})}});
  for (int e = 0; e < 20; ++e) s.train_epoch();
  auto params = s.network().params();  // W0 (2x8), b0, W1 (8x1), b1
  // The weakest by outgoing weight: the smallest |W1[u]|, in order.
  const auto weakest = s.weakest_units(0, 3, train::PruneBy::OutgoingWeight);
  ASSERT_EQ(weakest.size(), 3u);
  for (int u = 0; u < 8; ++u) {
    if (std::find(weakest.begin(), weakest.end(), u) == weakest.end()) {
      EXPECT_GE(std::abs(params[2].value->data()[u]), std::abs(params[2].value->data()[weakest.back()]));
    }
  }
  s.prune(0, weakest);
  for (int e = 0; e < 5; ++e) s.train_epoch();
  for (int u : weakest) {
    EXPECT_TRUE(s.pruned()[0][static_cast<std::size_t>(u)]);
    EXPECT_EQ(params[2].value->data()[u], 0.0f) << "unit " << u;
  }
  // The next ranking skips the pruned units; by activation it ranks the rest.
  const auto next = s.weakest_units(0, 8, train::PruneBy::Activation);
  EXPECT_EQ(next.size(), 5u);
  for (int u : weakest) EXPECT_EQ(std::count(next.begin(), next.end(), u), 0);
  s.reset();
  EXPECT_FALSE(s.pruned()[0][static_cast<std::size_t>(weakest[0])]);
  EXPECT_THROW(s.prune(1, {0}), Error);
  EXPECT_THROW(s.prune(0, {8}), Error);
}

TEST(Session, ACircleRunWithL1EndsWithDeadLinksThatAreExactlyZeroUntilReset) {
  auto s = session_for(json{{"features", {"x1", "x2", "x1^2", "x2^2", "x1x2", "sin_x1", "sin_x2"}},
                            {"regularization", "l1"}, {"regularization_rate", 0.01}, {"learning_rate", 0.1}});
  for (int e = 0; e < 100; ++e) s.train_epoch();
  long zeros = 0;
  for (const auto& p : s.network().params())
    if (p.regularize) zeros += std::count(p.value->data(), p.value->data() + p.value->size(), 0.0f);
  EXPECT_GT(s.dead_links(), 0);
  EXPECT_EQ(zeros, s.dead_links());  // a dead link is exactly 0, and only dead links are
  EXPECT_GT(s.evaluate().test_accuracy.value(), 0.9);
  s.reset();
  EXPECT_EQ(s.dead_links(), 0);
}

TEST(Session, LoadParamsReplacesEveryWeightAndChecksSizes) {
  auto a = session_for(json::object()), b = session_for(json{{"seed", 9}});
  for (int e = 0; e < 10; ++e) a.train_epoch();
  std::vector<std::vector<float>> values;
  for (const auto& p : a.network().params()) values.emplace_back(p.value->data(), p.value->data() + p.value->size());
  b.load_params(values);
  EXPECT_EQ(a.evaluate().test_loss, b.evaluate().test_loss);
  values.pop_back();
  EXPECT_THROW(b.load_params(values), Error);
}

TEST(Session, DisplayOutputsOfSevenClassesAreThePredictedClasssConfidence) {
  auto s = session_for(json{{"dataset", "blobs7"}});
  std::vector<float> z(14, 0.0f);  // feature-major: seven logits, two points
  z[3 * 2 + 1] = 5.0f;             // point 1 favours class 3
  float values[2];
  s.display_outputs(z.data(), 2, values);
  EXPECT_NEAR(values[0], 2.0 / 7 - 1, 1e-6);  // all equal: p_max = 1/7
  const double p = std::exp(5.0) / (std::exp(5.0) + 6);
  EXPECT_NEAR(values[1], 2 * p - 1, 1e-6);
}
