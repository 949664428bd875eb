#include "train/session.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <nlohmann/json.hpp>

using namespace netlens;
using nlohmann::json;

// Counts heap allocations and their bytes in this test binary, so a test can assert a step
// makes none. GCC cannot see that this operator new pairs with the operator delete below.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
namespace {
std::atomic<long> g_allocations{0};
std::atomic<std::size_t> g_allocated_bytes{0};
}
void* operator new(std::size_t n) {
  ++g_allocations;
  g_allocated_bytes += n;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

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

TEST(Session, AnEpochIsOnePassInMiniBatches) {
  auto s = session_for(json{{"batch_size", 30}});  // 250 points: 8 full batches and one of 10
  s.train_epoch();
  EXPECT_EQ(s.steps(), 9);
  EXPECT_EQ(s.epoch(), 1);
}

TEST(Session, TrainingStepAllocatesNothing) {
  auto s = session_for(json{{"optimizer", "adam"}, {"hidden_layers", json::array({{{"units", 8}}, {{"units", 8}}})}});
  s.train_step();  // first step may size nothing new, but run it outside the count anyway
  const long before = g_allocations.load();
  for (int i = 0; i < 200; ++i) s.train_step();
  EXPECT_EQ(g_allocations.load() - before, 0);
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
    const std::size_t before = g_allocated_bytes.load();
    train::Session s(spec);
    const std::size_t allocated = g_allocated_bytes.load() - before;
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
