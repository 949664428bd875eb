#include "server/live_session.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <mutex>

#include "core/error.hpp"

namespace netlens::server {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

// Counts announced frames and waits for one that satisfies a predicate.
class FrameWaiter {
 public:
  std::function<void()> callback() {
    return [this] {
      std::lock_guard lock(mutex_);
      ++announced_;
      changed_.notify_all();
    };
  }

  // The newest frame once `pred` holds for it; null after 20 s without.
  template <class Pred>
  std::shared_ptr<const Frame> until(const LiveSession& live, Pred pred) {
    std::unique_lock lock(mutex_);
    const auto deadline = Clock::now() + 20s;
    for (;;) {
      auto frame = live.frame();
      if (pred(*frame)) return frame;
      if (changed_.wait_until(lock, deadline) == std::cv_status::timeout) return nullptr;
    }
  }

  int announced() {
    std::lock_guard lock(mutex_);
    return announced_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int announced_ = 0;
};

TEST(LiveSession, PublishesTheEpochZeroFrameBeforeReturning) {
  FrameWaiter waiter;
  LiveSession live(train::RunSpec{}, waiter.callback());
  const auto frame = live.frame();
  ASSERT_NE(frame, nullptr);
  EXPECT_EQ(frame->seq, 0u);
  EXPECT_EQ(frame->metrics.epoch, 0);
  EXPECT_FALSE(frame->running);
  EXPECT_EQ(json::parse(frame->state)["epoch"], 0);
  EXPECT_EQ(frame->heatmap.size(), 16u + 4u * kGridResolution * kGridResolution);
  EXPECT_EQ(json::parse(frame->run->spec)["spec"]["dataset"], "circle");
  EXPECT_EQ(json::parse(frame->run->data)["type"], "data");
}

TEST(LiveSession, PlayTrainsOneEpochPerFrameAndTestLossFalls) {
  FrameWaiter waiter;
  LiveSession live(train::RunSpec{}, waiter.callback());
  const double initial_loss = live.frame()->metrics.test_loss;
  live.play();
  auto last = waiter.until(live, [](const Frame& f) { return f.metrics.epoch >= 1; });
  ASSERT_NE(last, nullptr);
  // Every frame while playing is exactly one epoch further than the one before it.
  while (last->metrics.epoch < 60) {
    const auto prev = last;
    last = waiter.until(live, [&](const Frame& f) { return f.seq > prev->seq; });
    ASSERT_NE(last, nullptr);
    EXPECT_TRUE(last->running);
    EXPECT_EQ(last->metrics.epoch - prev->metrics.epoch, static_cast<int>(last->seq - prev->seq));
  }
  EXPECT_LT(last->metrics.test_loss, 0.5 * initial_loss);
  EXPECT_EQ(json::parse(last->state)["epoch"], last->metrics.epoch);
}

TEST(LiveSession, PlayIsPacedToAtMostSixtyFramesPerSecond) {
  FrameWaiter waiter;
  LiveSession live(train::RunSpec{}, waiter.callback());
  const auto start = Clock::now();
  live.play();
  ASSERT_NE(waiter.until(live, [](const Frame& f) { return f.metrics.epoch >= 31; }), nullptr);
  EXPECT_GE(Clock::now() - start, 30 * kFramePeriod);  // a lower bound: slowness cannot fail it
}

TEST(LiveSession, StepAdvancesExactlyOneEpoch) {
  FrameWaiter waiter;
  LiveSession live(train::RunSpec{}, waiter.callback());
  live.step();
  auto frame = waiter.until(live, [](const Frame& f) { return f.seq >= 1; });
  ASSERT_NE(frame, nullptr);
  EXPECT_EQ(frame->metrics.epoch, 1);
  EXPECT_FALSE(frame->running);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(live.frame()->metrics.epoch, 1);  // paused: nothing more
  EXPECT_EQ(live.frame()->seq, frame->seq);
  live.step();
  frame = waiter.until(live, [](const Frame& f) { return f.seq >= 2; });
  ASSERT_NE(frame, nullptr);
  EXPECT_EQ(frame->metrics.epoch, 2);
}

TEST(LiveSession, StepWhilePlayingPauses) {
  FrameWaiter waiter;
  LiveSession live(train::RunSpec{}, waiter.callback());
  live.play();
  ASSERT_NE(waiter.until(live, [](const Frame& f) { return f.metrics.epoch >= 3; }), nullptr);
  live.step();
  const auto frame = waiter.until(live, [](const Frame& f) { return !f.running; });
  ASSERT_NE(frame, nullptr);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(live.frame()->metrics.epoch, frame->metrics.epoch);
}

TEST(LiveSession, PauseStopsTrainingAndSaysSo) {
  FrameWaiter waiter;
  LiveSession live(train::RunSpec{}, waiter.callback());
  live.play();
  ASSERT_NE(waiter.until(live, [](const Frame& f) { return f.metrics.epoch >= 2; }), nullptr);
  live.pause();
  const auto frame = waiter.until(live, [](const Frame& f) { return !f.running; });
  ASSERT_NE(frame, nullptr);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(live.frame()->seq, frame->seq);
}

TEST(LiveSession, ResetReturnsToEpochZeroWithTheInitialTestLoss) {
  FrameWaiter waiter;
  LiveSession live(train::RunSpec{}, waiter.callback());
  const auto initial = live.frame();
  live.play();
  ASSERT_NE(waiter.until(live, [](const Frame& f) { return f.metrics.epoch >= 20; }), nullptr);
  live.reset();
  const auto frame = waiter.until(live, [](const Frame& f) { return f.seq > 0 && f.metrics.epoch == 0; });
  ASSERT_NE(frame, nullptr);
  EXPECT_FALSE(frame->running);
  EXPECT_EQ(frame->metrics.test_loss, initial->metrics.test_loss);
  EXPECT_EQ(frame->metrics.train_loss, initial->metrics.train_loss);
  EXPECT_EQ(frame->heatmap.substr(8), initial->heatmap.substr(8));  // all but magic and seq
  EXPECT_EQ(frame->run, initial->run);  // the same run: no new spec or data
}

TEST(LiveSession, BadSetSpecLeavesTheSpecAndTheRunUntouched) {
  FrameWaiter waiter;
  LiveSession live(train::RunSpec{}, waiter.callback());
  live.step();
  const auto before = waiter.until(live, [](const Frame& f) { return f.metrics.epoch == 1; });
  ASSERT_NE(before, nullptr);
  try {
    live.set_spec(json::parse(R"({"noise":20,"hidden_layers":[{"units":0}]})"));
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("hidden_layers[0].units"), std::string::npos) << e.what();
  }
  EXPECT_EQ(train::to_json(live.spec()), train::to_json(train::RunSpec{}));
  live.step();
  const auto after = waiter.until(live, [](const Frame& f) { return f.metrics.epoch == 2; });
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(after->run, before->run);
}

TEST(LiveSession, SetSpecRebuildsPausedAtEpochZeroInANewRun) {
  FrameWaiter waiter;
  LiveSession live(train::RunSpec{}, waiter.callback());
  const auto initial = live.frame();
  live.play();
  ASSERT_NE(waiter.until(live, [](const Frame& f) { return f.metrics.epoch >= 2; }), nullptr);
  live.set_spec(json::parse(R"({"dataset":"xor","hidden_layers":[{"units":3}]})"));
  const auto frame = waiter.until(live, [&](const Frame& f) { return f.run != initial->run; });
  ASSERT_NE(frame, nullptr);
  EXPECT_EQ(frame->metrics.epoch, 0);
  EXPECT_FALSE(frame->running);
  const json spec = json::parse(frame->run->spec);
  EXPECT_EQ(spec["spec"]["dataset"], "xor");
  EXPECT_EQ(spec["spec"]["hidden_layers"].size(), 1u);
  EXPECT_NE(frame->run->data, initial->run->data);
  EXPECT_EQ(live.spec().dataset, "xor");
}

TEST(LiveSession, SetSpecChangesTheLatestAcceptedSpec) {
  FrameWaiter waiter;
  LiveSession live(train::RunSpec{}, waiter.callback());
  live.set_spec(json{{"noise", 10}});
  live.set_spec(json{{"batch_size", 5}});
  EXPECT_EQ(live.spec().noise, 10);
  EXPECT_EQ(live.spec().batch_size, 5);
  const auto frame = waiter.until(live, [](const Frame& f) {
    return json::parse(f.run->spec)["spec"]["batch_size"] == 5;
  });
  ASSERT_NE(frame, nullptr);
  EXPECT_EQ(json::parse(frame->run->spec)["spec"]["noise"], 10);
}

TEST(LiveSession, ADivergingRunPausesItselfAndSaysWhy) {
  FrameWaiter waiter;
  std::mutex mutex;
  std::vector<std::string> errors;
  LiveSession live(train::parse_run_spec(json{{"dataset", "plane"}, {"learning_rate", 10}}), waiter.callback(),
                   [&](const std::string& e) {
                     std::lock_guard lock(mutex);
                     errors.push_back(e);
                   });
  live.play();
  const auto paused = waiter.until(live, [](const Frame& f) { return f.metrics.epoch > 0 && !f.running; });
  ASSERT_NE(paused, nullptr);
  EXPECT_FALSE(std::isfinite(paused->metrics.train_loss));
  EXPECT_EQ(json::parse(paused->state)["train_loss"], nullptr);
  {
    std::lock_guard lock(mutex);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].find("diverged: at epoch"), std::string::npos) << errors[0];
    EXPECT_NE(errors[0].find("lower the learning rate (now 10.0)"), std::string::npos) << errors[0];
  }
  live.reset();  // recovers: finite again, at epoch 0
  const auto fresh = waiter.until(live, [](const Frame& f) { return f.metrics.epoch == 0 && f.seq > 1; });
  ASSERT_NE(fresh, nullptr);
  EXPECT_TRUE(std::isfinite(fresh->metrics.train_loss));
}

TEST(LiveSession, DestroyingStopsThePlayingThread) {
  FrameWaiter waiter;
  {
    LiveSession live(train::RunSpec{}, waiter.callback());
    live.play();
    ASSERT_NE(waiter.until(live, [](const Frame& f) { return f.metrics.epoch >= 2; }), nullptr);
  }
  const int announced = waiter.announced();
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(waiter.announced(), announced);
}

}  // namespace
}  // namespace netlens::server
