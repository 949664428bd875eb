#include "server/playground/session.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
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
  // The default 2-4-2-1 net: 25 parameters, 9 node maps (2 features, 6 hidden units, the output).
  EXPECT_EQ(frame->body.size(), 28u + 4u * (kGridResolution * kGridResolution + 25) + 9u * 400u);
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
  EXPECT_EQ(frame->body.substr(8), initial->body.substr(8));  // all but magic and seq
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

TEST(LiveSession, StoppingSavesARunThatTrainedAsARunDirectory) {
  const auto runs = std::filesystem::path(::testing::TempDir()) / ("live_runs_" + std::to_string(getpid()));
  std::filesystem::remove_all(runs);
  FrameWaiter waiter;
  {
    LiveSession untrained(train::RunSpec{}, waiter.callback());
    untrained.save_on_stop(runs);
  }
  EXPECT_FALSE(std::filesystem::exists(runs)) << "a run at epoch 0 has nothing to save";
  for (int session = 0; session < 2; ++session) {
    LiveSession live(train::parse_run_spec(json{{"dataset", "xor"}}), waiter.callback());
    live.save_on_stop(runs);
    for (int i = 0; i < 7; ++i) live.step();
    ASSERT_NE(waiter.until(live, [](const Frame& f) { return f.metrics.epoch == 7; }), nullptr);
  }
  // Two sessions ending in the same second get directories of their own.
  std::vector<std::filesystem::path> saved(std::filesystem::directory_iterator(runs), {});
  ASSERT_EQ(saved.size(), 2u);
  std::sort(saved.begin(), saved.end());
  EXPECT_EQ(saved[0].filename().string().rfind("xor-", 0), 0u) << saved[0];
  const auto timeline = train::Timeline::open(saved[0]);
  EXPECT_EQ(timeline.spec().dataset, "xor");
  // 0, 50, 120, 250, 500, 1000 examples, then the end: 7 epochs of 250 points.
  ASSERT_EQ(timeline.size(), 7u);
  EXPECT_EQ(timeline.checkpoints().back().epoch, 7);
  EXPECT_EQ(timeline.checkpoints().back().examples, 1750);
  EXPECT_EQ(timeline.load(6).weights.size(), timeline.parameters());
  std::filesystem::remove_all(runs);
}

TEST(LiveSession, ARunThatCannotBeSavedSaysWhyAndLeavesNothingBehind) {
  const auto blocker = std::filesystem::path(::testing::TempDir()) / ("live_blocker_" + std::to_string(getpid()));
  std::ofstream(blocker) << "a file where the runs folder should be\n";
  FrameWaiter waiter;
  ::testing::internal::CaptureStderr();
  {
    LiveSession live(train::RunSpec{}, waiter.callback());
    live.save_on_stop(blocker / "runs");
    live.step();
    ASSERT_NE(waiter.until(live, [](const Frame& f) { return f.metrics.epoch == 1; }), nullptr);
  }
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("netlens: cannot save the Playground run in progress: "), std::string::npos) << err;
  EXPECT_TRUE(std::filesystem::is_regular_file(blocker));
  std::filesystem::remove(blocker);
}

}  // namespace

// Collects what the session sends back besides frames.
struct Replies {
  std::mutex mutex;
  std::vector<std::string> errors, messages;
  std::function<void(const std::string&)> error() {
    return [this](const std::string& e) {
      std::lock_guard lock(mutex);
      errors.push_back(e);
    };
  }
  std::function<void(const std::string&)> message() {
    return [this](const std::string& m) {
      std::lock_guard lock(mutex);
      messages.push_back(m);
    };
  }
  std::vector<std::string> errors_now() {
    std::lock_guard lock(mutex);
    return errors;
  }
  std::vector<std::string> messages_now() {
    std::lock_guard lock(mutex);
    return messages;
  }
};

TEST(LiveSession, EpochsPerFrameAndTheEpochLimitStopRule) {
  FrameWaiter waiter;
  LiveSession live(train::RunSpec{}, waiter.callback());
  Command settings;
  settings.epochs_per_frame = 7;
  settings.stop_epoch = 30;
  live.set_run(settings);
  live.play();
  const auto stopped = waiter.until(live, [](const Frame& f) { return f.metrics.epoch > 0 && !f.running; });
  ASSERT_NE(stopped, nullptr);
  EXPECT_EQ(stopped->metrics.epoch, 30) << "the frame that crosses the limit stops exactly at it";
  const json state = json::parse(stopped->state);
  EXPECT_EQ(state["stopped"], "epoch limit 30 reached");
  EXPECT_EQ(state["epochs_per_frame"], 7);
  // Play again goes on past the limit it already reached, 7 epochs a frame.
  live.play();
  const auto more = waiter.until(live, [](const Frame& f) { return f.metrics.epoch >= 44; });
  ASSERT_NE(more, nullptr);
  EXPECT_EQ((more->metrics.epoch - 30) % 7, 0);
  live.pause();
}

TEST(LiveSession, TheTestLossStopRulePausesWhenTheLossFallsBelowIt) {
  FrameWaiter waiter;
  LiveSession live(train::RunSpec{}, waiter.callback());
  Command settings;
  settings.epochs_per_frame = 5;
  settings.stop_test_loss = 0.2;
  live.set_run(settings);
  live.play();
  const auto stopped = waiter.until(live, [](const Frame& f) { return f.metrics.epoch > 0 && !f.running; });
  ASSERT_NE(stopped, nullptr);
  EXPECT_LT(stopped->metrics.test_loss, 0.2);
  EXPECT_EQ(json::parse(stopped->state)["stopped"], "test loss fell below 0.2");
}

TEST(LiveSession, SetParamChangesTheFramesParamsAndABadOneIsAnError) {
  FrameWaiter waiter;
  Replies replies;
  LiveSession live(train::RunSpec{}, waiter.callback(), replies.error());
  live.set_param(0, 1, 0, 3.5f);  // first layer, from input 0 to unit 1: params[0 * 4 + 1]
  const auto frame = waiter.until(live, [](const Frame& f) { return f.seq >= 1; });
  ASSERT_NE(frame, nullptr);
  float w;
  std::memcpy(&w, frame->body.data() + 28 + 4 * (kGridResolution * kGridResolution + 1), 4);
  EXPECT_EQ(w, 3.5f);
  live.set_param(0, 9, 0, 1.0f);
  live.step();
  ASSERT_NE(waiter.until(live, [](const Frame& f) { return f.metrics.epoch == 1; }), nullptr);
  const auto errors = replies.errors_now();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "set_param: unit: must be 0..3, got 9");
}

TEST(LiveSession, AnAddedPointResendsTheDataButKeepsTheRun) {
  FrameWaiter waiter;
  LiveSession live(train::RunSpec{}, waiter.callback());
  live.step();
  const auto before = waiter.until(live, [](const Frame& f) { return f.metrics.epoch == 1; });
  ASSERT_NE(before, nullptr);
  live.add_point({5.0f, 5.0f, 1.0f});
  const auto after = waiter.until(live, [&](const Frame& f) { return f.run != before->run; });
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(after->metrics.epoch, 1) << "training goes on";
  const json spec = json::parse(after->run->spec), before_spec = json::parse(before->run->spec);
  EXPECT_EQ(spec["run"], before_spec["run"]) << "the same run: the chart goes on";
  EXPECT_EQ(spec["added_points"], 1);
  EXPECT_EQ(json::parse(after->run->data)["train"].size(), json::parse(before->run->data)["train"].size() + 1);
  // A change that keeps the data keeps the point; a new data set drops it.
  live.set_spec(json{{"learning_rate", 0.1}});
  auto frame = waiter.until(live, [](const Frame& f) { return json::parse(f.run->spec)["spec"]["learning_rate"] == 0.1; });
  ASSERT_NE(frame, nullptr);
  EXPECT_EQ(json::parse(frame->run->spec)["added_points"], 1);
  live.set_spec(json{{"dataset", "xor"}});
  frame = waiter.until(live, [](const Frame& f) { return json::parse(f.run->spec)["spec"]["dataset"] == "xor"; });
  ASSERT_NE(frame, nullptr);
  EXPECT_EQ(json::parse(frame->run->spec)["added_points"], 0);
}

TEST(LiveSession, UploadedPointsReplaceTheDataSet) {
  FrameWaiter waiter;
  LiveSession live(train::RunSpec{}, waiter.callback());
  std::vector<data::Point2D> points;
  for (int i = 0; i < 40; ++i) points.push_back({float(i % 8) - 4, float(i % 5) - 2, i % 2 ? 1.0f : -1.0f});
  live.upload(points, "mine.csv");
  const auto frame = waiter.until(live, [](const Frame& f) { return !json::parse(f.run->spec)["uploaded"].is_null(); });
  ASSERT_NE(frame, nullptr);
  EXPECT_EQ(json::parse(frame->run->spec)["uploaded"], "mine.csv");
  const json data = json::parse(frame->run->data);
  EXPECT_EQ(data["train"].size() + data["test"].size(), 40u);
}

TEST(LiveSession, PruningMarksTheWeakestUnitsInTheState) {
  FrameWaiter waiter;
  LiveSession live(train::parse_run_spec(json{{"hidden_layers", {{{"units", 50}}}}}), waiter.callback());
  live.prune(0, 30, train::PruneBy::OutgoingWeight);
  const auto frame = waiter.until(live, [](const Frame& f) { return !json::parse(f.state)["pruned"][0].empty(); });
  ASSERT_NE(frame, nullptr);
  EXPECT_EQ(json::parse(frame->state)["pruned"][0].size(), 30u);
}

TEST(LiveSession, ExportRepliesWithTheModelAndImportRestoresIt) {
  FrameWaiter waiter;
  Replies replies;
  LiveSession live(train::RunSpec{}, waiter.callback(), replies.error(), replies.message());
  for (int i = 0; i < 5; ++i) live.step();
  const auto trained = waiter.until(live, [](const Frame& f) { return f.metrics.epoch == 5; });
  ASSERT_NE(trained, nullptr);
  live.export_model();
  live.reset();
  ASSERT_NE(waiter.until(live, [&](const Frame& f) { return f.seq > trained->seq && f.metrics.epoch == 0; }), nullptr);
  std::vector<json> exports;
  for (const auto& m : replies.messages_now())
    if (json::parse(m)["type"] == "export") exports.push_back(json::parse(m));
  ASSERT_EQ(exports.size(), 1u);
  const json& exported = exports[0];
  EXPECT_NE(exported["pytorch"].get<std::string>().find("nn.Sequential"), std::string::npos);
  live.import_model(exported["model"]);
  const auto restored = waiter.until(live, [&](const Frame& f) { return f.run != trained->run; });
  ASSERT_NE(restored, nullptr);
  EXPECT_EQ(restored->metrics.test_loss, trained->metrics.test_loss) << "the trained weights are back";
  EXPECT_THROW(live.import_model(json{{"format", "other"}}), Error);
}


TEST(LiveSession, ASevenClassRunSendsOneProbabilityMapPerClass) {
  FrameWaiter waiter;
  LiveSession live(train::parse_run_spec(json{{"dataset", "blobs7"}}), waiter.callback());
  const auto frame = live.frame();
  EXPECT_EQ(json::parse(frame->run->spec)["classes"], 7);
  std::uint32_t outputs;
  std::memcpy(&outputs, frame->body.data() + 12, 4);
  ASSERT_EQ(outputs, 7u);
  // At every grid point the seven probabilities sum to 1.
  const std::size_t points = kGridResolution * kGridResolution;
  for (std::size_t p : {0ul, 5050ul, points - 1}) {
    float sum = 0;
    for (std::size_t c = 0; c < 7; ++c) {
      float v;
      std::memcpy(&v, frame->body.data() + 28 + 4 * (c * points + p), 4);
      sum += v;
    }
    EXPECT_NEAR(sum, 1.0f, 1e-5f);
  }
  EXPECT_EQ(json::parse(frame->state)["confusion"].size(), 7u);
}

// The newest `timeline` message on_reply got, or null.
json newest_timeline(Replies& replies) {
  json newest;
  for (const auto& m : replies.messages_now())
    if (const json j = json::parse(m); j["type"] == "timeline") newest = j;
  return newest;
}

std::vector<long> examples_of(const json& timeline) {
  std::vector<long> examples;
  for (const auto& c : timeline["checkpoints"]) examples.push_back(c["examples"].get<long>());
  return examples;
}

TEST(LiveSession, TheTimelineRecordsCheckpointsOnTheDefaultSchedule) {
  FrameWaiter waiter;
  Replies replies;
  LiveSession live(train::RunSpec{}, waiter.callback(), replies.error(), replies.message());
  EXPECT_EQ(examples_of(newest_timeline(replies)), std::vector<long>{0});  // announced at once
  for (int i = 0; i < 9; ++i) live.step();
  ASSERT_NE(waiter.until(live, [](const Frame& f) { return f.metrics.epoch == 9; }), nullptr);
  // 250 training points: the schedule's points up to 9 epochs (2,250 examples), each taken at
  // the first step boundary at or past it (batches of 10).
  const json timeline = newest_timeline(replies);
  EXPECT_EQ(examples_of(timeline), (std::vector<long>{0, 50, 120, 250, 500, 1000, 2000}));
  EXPECT_EQ(timeline["timeline"], 1);
  EXPECT_EQ(timeline["checkpoints"][3]["epoch"], 1);
  EXPECT_EQ(timeline["checkpoints"][3]["index"], 3);
  EXPECT_GT(timeline["checkpoints"][0]["test_loss"].get<double>(), timeline["checkpoints"][6]["test_loss"].get<double>());
}

TEST(LiveSession, ResetAndANewSpecStartNewTimelines) {
  FrameWaiter waiter;
  Replies replies;
  LiveSession live(train::RunSpec{}, waiter.callback(), replies.error(), replies.message());
  for (int i = 0; i < 3; ++i) live.step();
  live.reset();
  ASSERT_NE(waiter.until(live, [](const Frame& f) { return f.seq >= 4; }), nullptr);
  EXPECT_EQ(newest_timeline(replies)["timeline"], 2);
  EXPECT_EQ(examples_of(newest_timeline(replies)), std::vector<long>{0});
  live.set_spec(json{{"dataset", "xor"}});
  live.step();
  ASSERT_NE(waiter.until(live, [](const Frame& f) { return f.seq >= 6; }), nullptr);
  EXPECT_EQ(newest_timeline(replies)["timeline"], 3);
  EXPECT_EQ(examples_of(newest_timeline(replies)), (std::vector<long>{0, 50, 120, 250}));
}

TEST(LiveSession, TheTimelineIsCappedByCountAndBytes) {
  EXPECT_EQ(LiveSession::timeline_capacity(train::RunSpec{}), kMaxLiveCheckpoints);
  // 2 inputs, 1024, 1024 and 1024 units: 2.1 M weights, 4.2 MB a snapshot.
  const auto wide = train::parse_run_spec(
      json{{"hidden_layers", {{{"units", 1024}}, {{"units", 1024}}, {{"units", 1024}}}}});
  EXPECT_EQ(LiveSession::timeline_capacity(wide), 3u);
  EXPECT_GT(LiveSession::estimate_bytes(wide), 3 * 4'200'000u);
}

}  // namespace netlens::server
