#include "server/playground/session.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <thread>

#include "core/error.hpp"
#include "server/support/recording_outbox.hpp"
#include "support/scratch.hpp"

namespace netlens::server::playground {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

// A Playground session as a connection has it, and everything it sent.
struct Playground {
  RecordingOutbox outbox;  // declared first: outlives the session
  std::optional<PlaygroundSession> session;

  explicit Playground(train::RunSpec spec = {}, std::filesystem::path runs_dir = {}, Budget* memory = nullptr) {
    session.emplace(outbox, memory, std::move(runs_dir), std::move(spec));
    outbox.attach(*session);
  }

  void send(std::string_view text) { session->receive(text); }
  void send_json(const json& message) { session->receive(message.dump()); }
  void stop() { session.reset(); }

  // The first state message at or after message `from` whose JSON satisfies `pred`; null after 20 s.
  template <class Pred>
  const Recorded* state(Pred pred, std::size_t from = 0) {
    return outbox.wait_for("state", pred, from);
  }
  const Recorded* state(std::size_t from = 0) { return outbox.wait_for("state", from); }
  // The frame's binary half, recorded right after its state.
  const Recorded* body(const Recorded* state) {
    return outbox.wait_for_message([](const Recorded& r) { return r.binary; }, state->index + 1);
  }
  // The first error at or after message `from`; null after 20 s.
  const Recorded* error(std::size_t from = 0) { return outbox.wait_for("error", from); }
  // Sends `text` and returns the error that answers it (null JSON if none comes in 20 s).
  json answer(std::string_view text) {
    const std::size_t from = outbox.size();
    send(text);
    const Recorded* e = error(from);
    return e ? e->json : json();
  }
};

int epoch(const json& state) { return state["epoch"].get<int>(); }
std::uint32_t u32_at(const std::string& bytes, std::size_t at) {
  std::uint32_t v;
  std::memcpy(&v, bytes.data() + at, 4);
  return v;
}
json error_of(std::optional<std::string> command, const std::string& message) {
  return {{"type", "error"}, {"command", command ? json(*command) : json(nullptr)}, {"message", message}};
}

TEST(PlaygroundSession, PublishesTheEpochZeroFrameBeforeReturning) {
  Playground p;
  const auto frame = p.session->frame();
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

TEST(PlaygroundSession, GreetsWithHelloThenSpecDataAndTheEpochZeroFrame) {
  Playground p;
  const Recorded* body = p.outbox.wait_for_message([](const Recorded& r) { return r.binary; });
  ASSERT_NE(body, nullptr);
  const auto messages = p.outbox.messages();
  ASSERT_TRUE(messages[0].is("hello"));
  EXPECT_EQ(messages[0].json["view"], "playground");
  EXPECT_EQ(messages[0].json["protocol"], 3);
  // The timeline may come anywhere among them (docs/protocol.md); the rest in this order.
  std::vector<std::string> types;
  int timelines = 0;
  for (std::size_t i = 0; i < body->index; ++i) {
    if (messages[i].is("timeline"))
      ++timelines;
    else
      types.push_back(messages[i].json["type"]);
  }
  EXPECT_EQ(types, (std::vector<std::string>{"hello", "spec", "data", "state"}));
  EXPECT_EQ(timelines, 1);
  const json& state = messages[body->index - 1].json;
  EXPECT_EQ(state["seq"], 0);
  EXPECT_EQ(state["epoch"], 0);
  EXPECT_EQ(state["running"], false);
  EXPECT_EQ(body->data().substr(0, 4), "NLFR");
  EXPECT_EQ(u32_at(body->data(), 4), 0u);
  EXPECT_EQ(body->data(), p.session->frame()->body);
}

TEST(PlaygroundSession, ACommandsAnswerComesAfterTheGreeting) {
  Playground p;
  p.send(R"({"type":"set_param","layer":0,"unit":9,"input":0,"value":1})");
  const Recorded* error = p.error();
  ASSERT_NE(error, nullptr);
  const Recorded* first_frame = p.outbox.wait_for_message([](const Recorded& r) { return r.binary; });
  ASSERT_NE(first_frame, nullptr);
  EXPECT_GT(error->index, first_frame->index);
  EXPECT_EQ(error->json, error_of("set_param", "set_param: unit: must be 0..3, got 9"));
}

TEST(PlaygroundSession, PlayTrainsOneEpochPerFrameAndTestLossFalls) {
  Playground p;
  const Recorded* initial = p.state();
  ASSERT_NE(initial, nullptr);
  const double initial_loss = initial->json["test_loss"];
  p.send(R"({"type":"play"})");
  const Recorded* last = p.state([](const json& s) { return epoch(s) >= 1; });
  ASSERT_NE(last, nullptr);
  EXPECT_EQ(epoch(last->json), 1);
  // Every frame while playing is exactly one epoch further than the one before it.
  while (epoch(last->json) < 60) {
    const Recorded* prev = last;
    last = p.state(prev->index + 1);
    ASSERT_NE(last, nullptr);
    EXPECT_EQ(last->json["running"], true);
    EXPECT_EQ(last->json["seq"].get<int>(), prev->json["seq"].get<int>() + 1);
    EXPECT_EQ(epoch(last->json), epoch(prev->json) + 1);
  }
  p.send(R"({"type":"pause"})");
  EXPECT_LT(last->json["test_loss"].get<double>(), 0.5 * initial_loss);
  const Recorded* body = p.body(last);
  ASSERT_NE(body, nullptr);
  EXPECT_EQ(u32_at(body->data(), 4), last->json["seq"].get<std::uint32_t>()) << "the frame's halves share seq";
}

TEST(PlaygroundSession, PlayIsPacedToAtMostSixtyFramesPerSecond) {
  Playground p;
  ASSERT_NE(p.state(), nullptr);
  const auto start = Clock::now();
  p.send(R"({"type":"play"})");
  ASSERT_NE(p.state([](const json& s) { return epoch(s) >= 31; }), nullptr);
  EXPECT_GE(Clock::now() - start, 30 * kFramePeriod);  // a lower bound: slowness cannot fail it
}

TEST(PlaygroundSession, StepAdvancesExactlyOneEpoch) {
  Playground p;
  p.send(R"({"type":"step"})");
  const Recorded* frame = p.state([](const json& s) { return s["seq"] >= 1; });
  ASSERT_NE(frame, nullptr);
  EXPECT_EQ(epoch(frame->json), 1);
  EXPECT_EQ(frame->json["running"], false);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(p.outbox.all("state").size(), 2u) << "paused: nothing more";
  EXPECT_EQ(p.session->frame()->metrics.epoch, 1);
  p.send(R"({"type":"step"})");
  frame = p.state([](const json& s) { return s["seq"] >= 2; });
  ASSERT_NE(frame, nullptr);
  EXPECT_EQ(epoch(frame->json), 2);
}

TEST(PlaygroundSession, StepWhilePlayingPauses) {
  Playground p;
  p.send(R"({"type":"play"})");
  const Recorded* playing = p.state([](const json& s) { return epoch(s) >= 3; });
  ASSERT_NE(playing, nullptr);
  p.send(R"({"type":"step"})");
  const Recorded* paused = p.state([](const json& s) { return s["running"] == false; }, playing->index);
  ASSERT_NE(paused, nullptr);
  const std::size_t states = p.outbox.all("state").size();
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(p.outbox.all("state").size(), states);
  EXPECT_EQ(p.session->frame()->metrics.epoch, epoch(paused->json));
}

TEST(PlaygroundSession, PauseStopsTrainingAndSaysSo) {
  Playground p;
  p.send(R"({"type":"play"})");
  const Recorded* playing = p.state([](const json& s) { return epoch(s) >= 2; });
  ASSERT_NE(playing, nullptr);
  p.send(R"({"type":"pause"})");
  const Recorded* paused = p.state([](const json& s) { return s["running"] == false; }, playing->index);
  ASSERT_NE(paused, nullptr);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(p.session->frame()->seq, paused->json["seq"].get<std::uint32_t>());
  EXPECT_EQ(p.outbox.all("state").back(), paused->json);
}

TEST(PlaygroundSession, ResetReturnsToEpochZeroWithTheInitialTestLoss) {
  Playground p;
  const auto initial = p.session->frame();
  p.send(R"({"type":"play"})");
  const Recorded* trained = p.state([](const json& s) { return epoch(s) >= 20; });
  ASSERT_NE(trained, nullptr);
  p.send(R"({"type":"reset"})");
  const Recorded* reset = p.state([](const json& s) { return epoch(s) == 0; }, trained->index);
  ASSERT_NE(reset, nullptr);
  EXPECT_EQ(reset->json["running"], false);
  const auto frame = p.session->frame();
  EXPECT_EQ(frame->metrics.epoch, 0);
  EXPECT_EQ(frame->metrics.test_loss, initial->metrics.test_loss);
  EXPECT_EQ(frame->metrics.train_loss, initial->metrics.train_loss);
  EXPECT_EQ(frame->body.substr(8), initial->body.substr(8));  // all but magic and seq
  EXPECT_EQ(frame->run, initial->run);                        // the same run: no new spec or data
  EXPECT_EQ(p.outbox.all("spec").size(), 1u);
  EXPECT_EQ(p.outbox.all("data").size(), 1u);
}

TEST(PlaygroundSession, BadSetSpecLeavesTheSpecAndTheRunUntouched) {
  Playground p;
  p.send(R"({"type":"step"})");
  const Recorded* before = p.state([](const json& s) { return epoch(s) == 1; });
  ASSERT_NE(before, nullptr);
  const auto run = p.session->frame()->run;
  const json error = p.answer(R"({"type":"set_spec","spec":{"noise":20,"hidden_layers":[{"units":0}]}})");
  EXPECT_EQ(error["command"], "set_spec");
  EXPECT_EQ(error["message"].get<std::string>().rfind("set_spec: spec.hidden_layers[0].units", 0), 0u) << error;
  p.send(R"({"type":"step"})");
  ASSERT_NE(p.state([](const json& s) { return epoch(s) == 2; }, before->index), nullptr);
  EXPECT_EQ(p.session->frame()->run, run);
  EXPECT_EQ(json::parse(run->spec)["spec"], train::to_json(train::RunSpec{}));
  EXPECT_EQ(p.outbox.all("spec").size(), 1u) << "no new run";
}

TEST(PlaygroundSession, SetSpecRebuildsPausedAtEpochZeroInANewRun) {
  Playground p;
  const auto initial = p.session->frame();
  p.send(R"({"type":"play"})");
  const Recorded* playing = p.state([](const json& s) { return epoch(s) >= 2; });
  ASSERT_NE(playing, nullptr);
  p.send(R"({"type":"set_spec","spec":{"dataset":"xor","hidden_layers":[{"units":3}]}})");
  const Recorded* spec = p.outbox.wait_for("spec", [](const json& s) { return s["spec"]["dataset"] == "xor"; });
  ASSERT_NE(spec, nullptr);
  EXPECT_EQ(spec->json["spec"]["hidden_layers"].size(), 1u);
  EXPECT_NE(spec->json["run"], json::parse(initial->run->spec)["run"]);
  // Its data, then its first frame: epoch 0, paused.
  const Recorded* data = p.outbox.wait_for("data", spec->index);
  const Recorded* state = p.state(spec->index);
  ASSERT_NE(data, nullptr);
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(data->index, spec->index + 1);
  EXPECT_LT(data->index, state->index);
  EXPECT_NE(data->data(), initial->run->data);
  EXPECT_EQ(epoch(state->json), 0);
  EXPECT_EQ(state->json["running"], false);
}

TEST(PlaygroundSession, SetSpecChangesTheLatestAcceptedSpec) {
  Playground p;
  p.send(R"({"type":"set_spec","spec":{"noise":10}})");
  p.send(R"({"type":"set_spec","spec":{"batch_size":5}})");
  const Recorded* spec = p.outbox.wait_for("spec", [](const json& s) { return s["spec"]["batch_size"] == 5; });
  ASSERT_NE(spec, nullptr);
  EXPECT_EQ(spec->json["spec"]["noise"], 10);
  EXPECT_EQ(json::parse(p.session->frame()->run->spec)["spec"]["batch_size"], 5);
}

TEST(PlaygroundSession, ADivergingRunPausesItselfAndSaysWhy) {
  Playground p(train::parse_run_spec(json{{"dataset", "plane"}, {"learning_rate", 10}}));
  p.send(R"({"type":"play"})");
  const Recorded* paused = p.state([](const json& s) { return epoch(s) > 0 && s["running"] == false; });
  ASSERT_NE(paused, nullptr);
  EXPECT_TRUE(paused->json["train_loss"].is_null());
  EXPECT_FALSE(std::isfinite(p.session->frame()->metrics.train_loss));
  const auto errors = p.outbox.all("error");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_TRUE(errors[0]["command"].is_null()) << "it answers no command";
  const std::string message = errors[0]["message"];
  EXPECT_NE(message.find("diverged: at epoch"), std::string::npos) << message;
  EXPECT_NE(message.find("lower the learning rate (now 10.0)"), std::string::npos) << message;
  p.send(R"({"type":"reset"})");  // recovers: finite again, at epoch 0
  const Recorded* fresh = p.state([](const json& s) { return epoch(s) == 0; }, paused->index);
  ASSERT_NE(fresh, nullptr);
  EXPECT_TRUE(fresh->json["train_loss"].is_number());
  EXPECT_TRUE(std::isfinite(p.session->frame()->metrics.train_loss));
}

TEST(PlaygroundSession, ARunWhoseUnitsAllDieSaysSoOnEveryFrameUntilReset) {
  Playground p(train::parse_run_spec(json{{"activation", "relu"}, {"learning_rate", 10}}));
  p.send(R"({"type":"play"})");
  const Recorded* noticed = p.state([](const json& s) { return s.contains("notice"); });
  ASSERT_NE(noticed, nullptr);
  EXPECT_NE(noticed->json["notice"].get<std::string>().find("are dead (relu outputs 0 for every point): lower the "
                                                            "learning rate and reset"),
            std::string::npos)
      << noticed->json;
  ASSERT_NE(p.state([&](const json& s) { return epoch(s) >= epoch(noticed->json) + 10; }, noticed->index), nullptr);
  p.send(R"({"type":"pause"})");
  // Every frame from the first that found it carries it: a page sent only the newest still sees it.
  const auto states = p.outbox.all("state");
  bool found = false;
  for (const auto& s : states) {
    found = found || s.contains("notice");
    EXPECT_EQ(s.contains("notice"), found) << s;
  }
  p.send(R"({"type":"reset"})");
  const Recorded* reset = p.state([](const json& s) { return epoch(s) == 0; }, noticed->index);
  ASSERT_NE(reset, nullptr);
  EXPECT_FALSE(reset->json.contains("notice"));
}

TEST(PlaygroundSession, DestroyingStopsThePlayingThread) {
  Playground p;
  p.send(R"({"type":"play"})");
  ASSERT_NE(p.state([](const json& s) { return epoch(s) >= 2; }), nullptr);
  p.stop();
  const std::size_t sent = p.outbox.size();
  const int readies = p.outbox.newest_readies();
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(p.outbox.size(), sent);
  EXPECT_EQ(p.outbox.newest_readies(), readies);
}

TEST(PlaygroundSession, StoppingSavesARunThatTrainedAsARunDirectory) {
  const auto runs = test::scratch_dir() / "live_runs";
  std::filesystem::remove_all(runs);
  {
    Playground untrained(train::RunSpec{}, runs);
    ASSERT_NE(untrained.state(), nullptr);
  }
  EXPECT_FALSE(std::filesystem::exists(runs)) << "a run at epoch 0 has nothing to save";
  for (int session = 0; session < 2; ++session) {
    Playground p(train::parse_run_spec(json{{"dataset", "xor"}}), runs);
    for (int i = 0; i < 7; ++i) p.send(R"({"type":"step"})");
    ASSERT_NE(p.state([](const json& s) { return epoch(s) == 7; }), nullptr);
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

TEST(PlaygroundSession, SavedRunsAreListedAndOpenedAtTheirEpochWithTheirWeights) {
  const auto runs = test::scratch_dir() / "open_runs";
  std::filesystem::remove_all(runs);
  double trained_loss = 0;
  {
    Playground p(train::parse_run_spec(json{{"dataset", "xor"}, {"seed", 3}}), runs);
    for (int i = 0; i < 9; ++i) p.send(R"({"type":"step"})");
    const Recorded* s = p.state([](const json& j) { return epoch(j) == 9; });
    ASSERT_NE(s, nullptr);
    trained_loss = s->json["test_loss"].get<double>();
  }
  Playground p(train::RunSpec{}, runs);
  p.send(R"({"type":"list_runs"})");
  const Recorded* listed = p.outbox.wait_for("runs");
  ASSERT_NE(listed, nullptr);
  const json& list = listed->json["runs"];
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["epoch"], 9);
  EXPECT_EQ(list[0]["spec"]["dataset"], "xor");
  EXPECT_EQ(list[0]["spec"]["seed"], 3);
  EXPECT_NEAR(list[0]["saved"].get<double>(), static_cast<double>(std::time(nullptr)), 60);
  const std::string name = list[0]["name"];
  EXPECT_TRUE(name.ends_with("-epoch9")) << name;

  const std::size_t from = p.outbox.size();
  p.send_json(json{{"type", "open_run"}, {"run", name}});
  const Recorded* spec = p.outbox.wait_for("spec", [](const json& j) { return j["spec"]["dataset"] == "xor"; }, from);
  ASSERT_NE(spec, nullptr);
  const Recorded* state = p.state([](const json& j) { return epoch(j) == 9; }, spec->index);
  ASSERT_NE(state, nullptr);
  EXPECT_FALSE(state->json["running"].get<bool>());
  // Float16 weights: the loss agrees closely, not exactly.
  EXPECT_NEAR(state->json["test_loss"].get<double>(), trained_loss, 5e-3);
  p.send(R"({"type":"step"})");
  EXPECT_NE(p.state([](const json& j) { return epoch(j) == 10; }, state->index), nullptr);

  EXPECT_EQ(p.answer(R"({"type":"open_run","run":"../etc"})"),
            error_of("open_run", "open_run: run: must be the name of a saved run, got '../etc'"));
  EXPECT_EQ(p.answer(R"({"type":"open_run","run":"nothing"})"),
            error_of("open_run", "open_run: run: no saved run named 'nothing'"));
  Playground unsaved;
  EXPECT_EQ(unsaved.answer(R"({"type":"open_run","run":"x"})"), error_of("open_run", "open_run: run: this server saves no runs"));

  // A session given the run to open (serve --open-run) starts from it.
  RecordingOutbox outbox;
  std::optional<PlaygroundSession> opened;
  opened.emplace(outbox, nullptr, std::filesystem::path{}, train::RunSpec{}, runs / name);
  outbox.attach(*opened);
  const Recorded* first = outbox.wait_for("state");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(epoch(first->json), 9);
  opened.reset();
  p.stop();
  std::filesystem::remove_all(runs);
}

TEST(PlaygroundSession, ARunThatCannotBeSavedSaysWhyAndLeavesNothingBehind) {
  const auto blocker = test::scratch_dir() / "live_blocker";
  std::ofstream(blocker) << "a file where the runs folder should be\n";
  ::testing::internal::CaptureStderr();
  {
    Playground p(train::RunSpec{}, blocker / "runs");
    p.send(R"({"type":"step"})");
    ASSERT_NE(p.state([](const json& s) { return epoch(s) == 1; }), nullptr);
  }
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("netlens: cannot save the Playground run in progress: "), std::string::npos) << err;
  EXPECT_TRUE(std::filesystem::is_regular_file(blocker));
  std::filesystem::remove(blocker);
}

TEST(PlaygroundSession, EpochsPerFrameAndTheEpochLimitStopRule) {
  Playground p;
  p.send(R"({"type":"set_run","epochs_per_frame":7,"stop_epoch":30})");
  p.send(R"({"type":"play"})");
  const Recorded* stopped = p.state([](const json& s) { return epoch(s) > 0 && s["running"] == false; });
  ASSERT_NE(stopped, nullptr);
  EXPECT_EQ(epoch(stopped->json), 30) << "the frame that crosses the limit stops exactly at it";
  EXPECT_EQ(stopped->json["stopped"], "epoch limit 30 reached");
  EXPECT_EQ(stopped->json["epochs_per_frame"], 7);
  EXPECT_EQ(stopped->json["stop_epoch"], 30);
  // Play again goes on past the limit it already reached, 7 epochs a frame.
  p.send(R"({"type":"play"})");
  const Recorded* more = p.state([](const json& s) { return epoch(s) >= 44; }, stopped->index);
  ASSERT_NE(more, nullptr);
  EXPECT_EQ((epoch(more->json) - 30) % 7, 0);
  EXPECT_EQ(more->json["running"], true);
  p.send(R"({"type":"pause"})");
}

TEST(PlaygroundSession, TheTestLossStopRulePausesWhenTheLossFallsBelowIt) {
  Playground p;
  p.send(R"({"type":"set_run","epochs_per_frame":5,"stop_test_loss":0.2})");
  p.send(R"({"type":"play"})");
  const Recorded* stopped = p.state([](const json& s) { return epoch(s) > 0 && s["running"] == false; });
  ASSERT_NE(stopped, nullptr);
  EXPECT_LT(stopped->json["test_loss"].get<double>(), 0.2);
  EXPECT_EQ(stopped->json["stopped"], "test loss fell below 0.2");
}

TEST(PlaygroundSession, SetParamChangesTheFramesParamsAndABadOneIsAnError) {
  Playground p;
  // First layer, from input 0 to unit 1: params[0 * 4 + 1].
  p.send(R"({"type":"set_param","layer":0,"unit":1,"input":0,"value":3.5})");
  const Recorded* state = p.state([](const json& s) { return s["seq"] >= 1; });
  ASSERT_NE(state, nullptr);
  const Recorded* body = p.body(state);
  ASSERT_NE(body, nullptr);
  float w;
  std::memcpy(&w, body->data().data() + 28 + 4 * (kGridResolution * kGridResolution + 1), 4);
  EXPECT_EQ(w, 3.5f);
  p.send(R"({"type":"set_param","layer":0,"unit":9,"input":0,"value":1.0})");
  p.send(R"({"type":"step"})");
  ASSERT_NE(p.state([](const json& s) { return epoch(s) == 1; }), nullptr);
  const auto errors = p.outbox.all("error");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], error_of("set_param", "set_param: unit: must be 0..3, got 9"));
}

TEST(PlaygroundSession, AnAddedPointResendsTheDataButKeepsTheRun) {
  Playground p;
  p.send(R"({"type":"step"})");
  const Recorded* before = p.state([](const json& s) { return epoch(s) == 1; });
  ASSERT_NE(before, nullptr);
  const json before_spec = p.outbox.all("spec").back(), before_data = p.outbox.all("data").back();
  p.send(R"({"type":"add_point","x1":5,"x2":5,"label":1})");
  const Recorded* spec = p.outbox.wait_for("spec", before->index);
  ASSERT_NE(spec, nullptr);
  EXPECT_EQ(spec->json["run"], before_spec["run"]) << "the same run: the chart goes on";
  EXPECT_EQ(spec->json["added_points"], 1);
  const Recorded* data = p.outbox.wait_for("data", spec->index);
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(data->json["train"].size(), before_data["train"].size() + 1);
  const Recorded* after = p.state(spec->index);
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(epoch(after->json), 1) << "training goes on";
  // A change that keeps the data keeps the point; a new data set drops it.
  p.send(R"({"type":"set_spec","spec":{"learning_rate":0.1}})");
  spec = p.outbox.wait_for("spec", [](const json& s) { return s["spec"]["learning_rate"] == 0.1; });
  ASSERT_NE(spec, nullptr);
  EXPECT_EQ(spec->json["added_points"], 1);
  p.send(R"({"type":"set_spec","spec":{"dataset":"xor"}})");
  spec = p.outbox.wait_for("spec", [](const json& s) { return s["spec"]["dataset"] == "xor"; });
  ASSERT_NE(spec, nullptr);
  EXPECT_EQ(spec->json["added_points"], 0);
}

TEST(PlaygroundSession, UploadedPointsReplaceTheDataSet) {
  Playground p;
  std::string csv;
  for (int i = 0; i < 40; ++i)
    csv += std::to_string(i % 8 - 4) + "," + std::to_string(i % 5 - 2) + "," + (i % 2 ? "1" : "-1") + "\n";
  p.send_json(json{{"type", "upload_csv"}, {"name", "mine.csv"}, {"text", csv}});
  const Recorded* spec = p.outbox.wait_for("spec", [](const json& s) { return !s["uploaded"].is_null(); });
  ASSERT_NE(spec, nullptr);
  EXPECT_EQ(spec->json["uploaded"], "mine.csv");
  const Recorded* data = p.outbox.wait_for("data", spec->index);
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(data->json["train"].size() + data->json["test"].size(), 40u);
}

TEST(PlaygroundSession, ASevenClassRunTakesAnUploadLabelledZeroToSix) {
  Playground p(train::parse_run_spec(json{{"dataset", "blobs7"}}));
  std::string csv = "x1,x2,label\n";
  for (int i = 0; i < 42; ++i) csv += std::to_string(i % 7 - 3) + "," + std::to_string(i % 3) + "," + std::to_string(i % 7) + "\n";
  p.send_json(json{{"type", "upload_csv"}, {"name", "seven.csv"}, {"text", csv}});
  const Recorded* spec = p.outbox.wait_for("spec", [](const json& s) { return s["uploaded"] == "seven.csv"; });
  ASSERT_NE(spec, nullptr);
  EXPECT_EQ(spec->json["classes"], 7);
  const Recorded* data = p.outbox.wait_for("data", spec->index);
  ASSERT_NE(data, nullptr);
  std::set<int> labels;
  for (const char* part : {"train", "test"})
    for (const auto& point : data->json[part]) labels.insert(point[2].get<int>());
  EXPECT_EQ(labels, (std::set<int>{0, 1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(p.answer(R"({"type":"add_point","x1":1,"x2":1,"label":-1})"),
            error_of("add_point", "add_point: label: must be a class 0..6 (the run has 7 classes), got -1.0"));
  EXPECT_EQ(p.answer(R"({"type":"upload_csv","name":"b.csv","text":"0,0,0\n0,0,1\n0,0,2\n0,0,-1\n"})"),
            error_of("upload_csv", "upload_csv: b.csv: row 4: label must be a class 0..6 (the run has 7 classes), got '-1'"));
}

TEST(PlaygroundSession, AnUploadAskingForRescaleFitsItsPointsIntoTheDomainAndSaysHow) {
  Playground p;
  std::string csv = "height,weight,label\n";
  for (int i = 0; i < 20; ++i) csv += std::to_string(150 + i) + "," + std::to_string(50 + 2 * i) + "," + (i % 2 ? "1" : "0") + "\n";
  p.send_json(json{{"type", "upload_csv"}, {"name", "people.csv"}, {"text", csv}});
  EXPECT_NE(p.outbox.wait_for("error", [](const json& e) {
    return e["message"].get<std::string>().find("20 bad rows: row 2: x1 must be in -6..6, got '150'") != std::string::npos;
  }), nullptr);
  p.send_json(json{{"type", "upload_csv"}, {"name", "people.csv"}, {"text", csv}, {"rescale", true}});
  const Recorded* spec = p.outbox.wait_for("spec", [](const json& s) { return !s["uploaded"].is_null(); });
  ASSERT_NE(spec, nullptr);
  const json& rescaled = spec->json["rescaled"];
  EXPECT_EQ(rescaled["x1"], json::parse("[150,169]"));
  EXPECT_EQ(rescaled["x2"], json::parse("[50,88]"));
  EXPECT_DOUBLE_EQ(rescaled["scale"].get<double>(), 6.0 / 19);  // half of x2's span 50..88
  const Recorded* data = p.outbox.wait_for("data", spec->index);
  ASSERT_NE(data, nullptr);
  for (const auto& set : {data->json["train"], data->json["test"]})
    for (const auto& point : set) {
      EXPECT_LE(std::abs(point[0].get<double>()), 6.0);
      EXPECT_LE(std::abs(point[1].get<double>()), 6.0);
    }
}

TEST(PlaygroundSession, PruningMarksTheWeakestUnitsInTheState) {
  Playground p(train::parse_run_spec(json{{"hidden_layers", {{{"units", 50}}}}}));
  p.send(R"({"type":"prune","layer":0,"count":30,"by":"weight"})");
  const Recorded* state = p.state([](const json& s) { return !s["pruned"][0].empty(); });
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(state->json["pruned"][0].size(), 30u);
}

TEST(PlaygroundSession, ExportRepliesWithTheModelAndImportRestoresIt) {
  Playground p;
  for (int i = 0; i < 5; ++i) p.send(R"({"type":"step"})");
  const Recorded* trained_state = p.state([](const json& s) { return epoch(s) == 5; });
  ASSERT_NE(trained_state, nullptr);
  const auto trained = p.session->frame();
  p.send(R"({"type":"export"})");
  p.send(R"({"type":"reset"})");
  ASSERT_NE(p.state([](const json& s) { return epoch(s) == 0; }, trained_state->index), nullptr);
  const auto exports = p.outbox.all("export");
  ASSERT_EQ(exports.size(), 1u);
  const json& exported = exports[0];
  EXPECT_NE(exported["pytorch"].get<std::string>().find("nn.Sequential"), std::string::npos);
  const std::size_t from = p.outbox.size();
  p.send_json(json{{"type", "import"}, {"model", exported["model"]}});
  const Recorded* spec = p.outbox.wait_for("spec", from);
  ASSERT_NE(spec, nullptr);
  ASSERT_NE(p.state(spec->index), nullptr);
  const auto restored = p.session->frame();
  EXPECT_NE(restored->run, trained->run) << "a new run";
  EXPECT_EQ(restored->metrics.test_loss, trained->metrics.test_loss) << "the trained weights are back";
  const json refused = p.answer(R"({"type":"import","model":{"format":"other"}})");
  EXPECT_EQ(refused["command"], "import");
  EXPECT_EQ(refused["message"].get<std::string>().rfind("import: model.", 0), 0u) << refused;
  EXPECT_EQ(p.session->frame(), restored) << "a refused import changes nothing";
}

TEST(PlaygroundSession, ASevenClassExportImportsBackAndTheRunGoesOnFromItsEpoch) {
  Playground p(train::parse_run_spec(json{{"dataset", "blobs7"}}));
  for (int i = 0; i < 3; ++i) p.send(R"({"type":"step"})");
  ASSERT_NE(p.state([](const json& s) { return epoch(s) == 3; }), nullptr);
  const auto trained = p.session->frame();
  p.send(R"({"type":"export"})");
  const Recorded* exported = p.outbox.wait_for("export");
  ASSERT_NE(exported, nullptr);
  json model = exported->json["model"];
  model["epoch"] = 321;  // as a file from a longer run says
  const std::size_t from = p.outbox.size();
  p.send_json(json{{"type", "import"}, {"model", model}});
  const Recorded* spec = p.outbox.wait_for("spec", from);
  ASSERT_NE(spec, nullptr);
  const Recorded* state = p.state(spec->index);
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(epoch(state->json), 321) << "the run starts at the model's epoch";
  EXPECT_EQ(p.session->frame()->metrics.test_loss, trained->metrics.test_loss);
  EXPECT_TRUE(p.outbox.all("error").empty()) << p.outbox.all("error")[0];
  p.send(R"({"type":"step"})");
  ASSERT_NE(p.state([](const json& s) { return epoch(s) == 322; }, state->index), nullptr);
  p.send(R"({"type":"reset"})");
  ASSERT_NE(p.state([](const json& s) { return epoch(s) == 0; }, state->index), nullptr);
}

TEST(PlaygroundSession, ChoosingADataSetBringsTheLossItNeeds) {
  Playground p(train::parse_run_spec(json{{"loss", "binary_cross_entropy"}}));
  const auto loss_after = [&](const char* dataset) {
    const std::size_t from = p.outbox.size();
    p.send_json(json{{"type", "set_spec"}, {"spec", {{"dataset", dataset}}}});
    const Recorded* spec = p.outbox.wait_for("spec", [&](const json& s) { return s["spec"]["dataset"] == dataset; }, from);
    return spec ? spec->json["spec"]["loss"].get<std::string>() : "no spec: " + p.outbox.all("error").back().dump();
  };
  EXPECT_EQ(loss_after("blobs7"), "softmax_cross_entropy");
  EXPECT_EQ(loss_after("plane"), "squared_error");
  EXPECT_EQ(loss_after("circle"), "binary_cross_entropy") << "the loss the binary run had before";
  EXPECT_EQ(loss_after("xor"), "binary_cross_entropy");
  EXPECT_EQ(loss_after("multi_gaussian"), "squared_error");
  EXPECT_TRUE(p.outbox.all("error").empty());
  const json refused = p.answer(R"({"type":"set_spec","spec":{"dataset":"blobs7","loss":"squared_error"}})");
  EXPECT_NE(refused["message"].get<std::string>().find("needs softmax_cross_entropy"), std::string::npos) << refused;
}

TEST(PlaygroundSession, TrainingSettingsApplyFromTheNextStepWithoutANewRun) {
  Playground p;
  p.send(R"({"type":"play"})");
  const Recorded* playing = p.state([](const json& s) { return epoch(s) >= 3; });
  ASSERT_NE(playing, nullptr);
  const auto run = json::parse(p.session->frame()->run->spec)["run"];
  for (const char* change : {R"({"learning_rate":0.1})", R"({"optimizer":"adam","momentum":0.5})",
                             R"({"regularization":"l1","regularization_rate":0.001})", R"({"batch_size":25})"}) {
    SCOPED_TRACE(change);
    const std::size_t from = p.outbox.size();
    const json changes = json::parse(change);
    p.send_json(json{{"type", "set_spec"}, {"spec", changes}});
    const Recorded* spec = p.outbox.wait_for("spec", from);
    ASSERT_NE(spec, nullptr);
    EXPECT_EQ(spec->json["run"], run) << "the same run";
    for (const auto& [key, value] : changes.items()) EXPECT_EQ(spec->json["spec"][key], value);
    const Recorded* after = p.state(spec->index);
    ASSERT_NE(after, nullptr);
    EXPECT_GE(epoch(after->json), epoch(playing->json)) << "no epoch 0";
    EXPECT_EQ(after->json["running"], true) << "it keeps playing";
    playing = after;
  }
  p.send(R"({"type":"pause"})");
  const json big = p.answer(R"({"type":"set_spec","spec":{"batch_size":400}})");
  EXPECT_NE(big["message"].get<std::string>().find("batch_size"), std::string::npos) << big;
  // The network's shape is a new run.
  const std::size_t from = p.outbox.size();
  p.send(R"({"type":"set_spec","spec":{"hidden_layers":[{"units":3}]}})");
  const Recorded* spec = p.outbox.wait_for("spec", from);
  ASSERT_NE(spec, nullptr);
  EXPECT_NE(spec->json["run"], run);
  const Recorded* fresh = p.state(spec->index);
  ASSERT_NE(fresh, nullptr);
  EXPECT_EQ(epoch(fresh->json), 0);
}

TEST(PlaygroundSession, ASevenClassRunSendsOneProbabilityMapPerClass) {
  Playground p(train::parse_run_spec(json{{"dataset", "blobs7"}}));
  const auto frame = p.session->frame();
  EXPECT_EQ(json::parse(frame->run->spec)["classes"], 7);
  ASSERT_EQ(u32_at(frame->body, 12), 7u);
  // At every grid point the seven probabilities sum to 1.
  const std::size_t points = kGridResolution * kGridResolution;
  for (std::size_t point : {0ul, 5050ul, points - 1}) {
    float sum = 0;
    for (std::size_t c = 0; c < 7; ++c) {
      float v;
      std::memcpy(&v, frame->body.data() + 28 + 4 * (c * points + point), 4);
      sum += v;
    }
    EXPECT_NEAR(sum, 1.0f, 1e-5f);
  }
  EXPECT_EQ(json::parse(frame->state)["confusion"].size(), 7u);
}

std::vector<long> examples_of(const json& timeline) {
  std::vector<long> examples;
  for (const auto& c : timeline["checkpoints"]) examples.push_back(c["examples"].get<long>());
  return examples;
}

TEST(PlaygroundSession, TheTimelineRecordsCheckpointsOnTheDefaultSchedule) {
  Playground p;
  const Recorded* first = p.outbox.wait_for("timeline");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(examples_of(first->json), std::vector<long>{0});  // announced at once
  for (int i = 0; i < 9; ++i) p.send(R"({"type":"step"})");
  ASSERT_NE(p.state([](const json& s) { return epoch(s) == 9; }), nullptr);
  // 250 training points: the schedule's points up to 9 epochs (2,250 examples), each taken at
  // the first step boundary at or past it (batches of 10).
  const json timeline = p.outbox.all("timeline").back();
  EXPECT_EQ(examples_of(timeline), (std::vector<long>{0, 50, 120, 250, 500, 1000, 2000}));
  EXPECT_EQ(timeline["timeline"], 1);
  EXPECT_EQ(timeline["checkpoints"][3]["epoch"], 1);
  EXPECT_EQ(timeline["checkpoints"][3]["index"], 3);
  EXPECT_GT(timeline["checkpoints"][0]["test_loss"].get<double>(), timeline["checkpoints"][6]["test_loss"].get<double>());
}

TEST(PlaygroundSession, ResetAndANewSpecStartNewTimelines) {
  Playground p;
  for (int i = 0; i < 3; ++i) p.send(R"({"type":"step"})");
  p.send(R"({"type":"reset"})");
  ASSERT_NE(p.state([](const json& s) { return s["seq"] >= 4; }), nullptr);
  EXPECT_EQ(p.outbox.all("timeline").back()["timeline"], 2);
  EXPECT_EQ(examples_of(p.outbox.all("timeline").back()), std::vector<long>{0});
  p.send(R"({"type":"set_spec","spec":{"dataset":"xor"}})");
  p.send(R"({"type":"step"})");
  ASSERT_NE(p.state([](const json& s) { return s["seq"] >= 6; }), nullptr);
  EXPECT_EQ(p.outbox.all("timeline").back()["timeline"], 3);
  EXPECT_EQ(examples_of(p.outbox.all("timeline").back()), (std::vector<long>{0, 50, 120, 250}));
}

TEST(PlaygroundSession, TheTimelineIsCappedByCountAndBytes) {
  EXPECT_EQ(PlaygroundSession::timeline_capacity(train::RunSpec{}), kMaxLiveCheckpoints);
  // 2 inputs, 1024, 1024 and 1024 units: 2.1 M weights, 4.2 MB a snapshot.
  const auto wide = train::parse_run_spec(
      json{{"hidden_layers", {{{"units", 1024}}, {{"units", 1024}}, {{"units", 1024}}}}});
  EXPECT_EQ(PlaygroundSession::timeline_capacity(wide), 3u);
  EXPECT_GT(PlaygroundSession::estimate_bytes(wide), 3 * 4'200'000u);
}

// What the connection's thread cannot read is answered at once, with the command when it has a
// "type"; the session changes nothing.
TEST(PlaygroundSession, AMessageThatCannotBeReadIsAnsweredNamingItsCommandIfAny) {
  Playground p;
  ASSERT_NE(p.state(), nullptr);
  const json not_json = p.answer("not json");
  EXPECT_TRUE(not_json["command"].is_null());
  const std::string why = not_json["message"];
  EXPECT_EQ(why.rfind("message: not JSON: ", 0), 0u) << why;
  EXPECT_NE(why.find("line 1"), std::string::npos) << why;  // says where
  EXPECT_EQ(p.answer(R"({"type":"play")")["message"].get<std::string>().rfind("message: not JSON: ", 0), 0u);
  // A number too large for a double is not a syntax error to nlohmann/json but an out_of_range
  // exception; it must be refused like bad JSON, not escape and end the server (found by fuzzing).
  EXPECT_EQ(p.answer(R"({"type":"play","n":1e999})"),
            error_of(std::nullopt, "message: not JSON: number overflow parsing '1e999'"));
  EXPECT_EQ(p.answer(R"(["play"])"), error_of(std::nullopt, "message: must be an object, got an array"));
  EXPECT_EQ(p.answer("42"), error_of(std::nullopt, "message: must be an object, got a number"));
  EXPECT_EQ(p.answer(R"({"spec":{}})"), error_of(std::nullopt, "message.type: is missing"));
  EXPECT_EQ(p.answer(R"({"type":3})"), error_of(std::nullopt, "message.type: must be a string, got a number"));
  EXPECT_EQ(p.answer(R"({"type":null})"), error_of(std::nullopt, "message.type: must be a string, got null"));
  EXPECT_EQ(p.answer(R"({"type":"warp"})"),
            error_of("warp", "message.type: unknown type 'warp' (known: play, pause, step, reset, set_spec, set_run, "
                             "set_param, add_point, upload_csv, prune, export, import, list_runs, open_run, checkpoint, "
                             "export_gif)"));
  EXPECT_EQ(p.answer(R"({"type":"play","extra":[1,2]})"), error_of("play", "play.extra: unknown key (known: type)"));
  EXPECT_EQ(p.answer(R"({"type":"set_param","layer":0,"unit":0})"), error_of("set_param", "set_param.value: is missing"));
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(p.outbox.all("state").size(), 1u) << "none of them reached the session";
  EXPECT_EQ(p.session->frame()->metrics.epoch, 0);
}

TEST(PlaygroundSession, ACommandThatFailsIsAnsweredAndChangesNothing) {
  Budget memory(64 << 20);
  Playground p(train::RunSpec{}, {}, &memory);
  p.send(R"({"type":"step"})");
  p.send(R"({"type":"set_spec","spec":{"dataset":"xor"}})");
  const Recorded* xor_spec = p.outbox.wait_for("spec", [](const json& s) { return s["spec"]["dataset"] == "xor"; });
  ASSERT_NE(xor_spec, nullptr);
  EXPECT_EQ(p.answer(R"({"type":"set_spec","spec":{"noise":99}})"),
            error_of("set_spec", "set_spec: spec.noise: must be a number 0..50, got 99"));
  const json refused =
      p.answer(R"({"type":"set_spec","spec":{"hidden_layers":[{"units":1024},{"units":1024},{"units":1024}]}})");
  EXPECT_EQ(refused["command"], "set_spec");
  EXPECT_EQ(refused["message"].get<std::string>().rfind("set_spec: memory: this run needs about ", 0), 0u) << refused;
  EXPECT_EQ(p.answer(R"({"type":"upload_csv","name":"a.csv","text":"1,2,banana\n"})"),
            error_of("upload_csv", "upload_csv: a.csv: row 1: label is not a number: 'banana'"));
  const json import = p.answer(R"({"type":"import","model":{"version":2}})");
  EXPECT_EQ(import["command"], "import");
  EXPECT_EQ(import["message"].get<std::string>().rfind("import: model.", 0), 0u) << import;
  // The refused commands left the xor run alone: no new run, and it trains on.
  p.send(R"({"type":"step"})");
  ASSERT_NE(p.state([](const json& s) { return epoch(s) == 1; }, xor_spec->index), nullptr);
  EXPECT_EQ(p.outbox.all("spec").size(), 2u);
  EXPECT_EQ(p.outbox.all("spec").back()["spec"]["dataset"], "xor");
  EXPECT_EQ(p.outbox.all("error").size(), 4u);
}

TEST(PlaygroundSession, TimelineCommandsReplyInBinaryOrNameTheBadField) {
  Playground p;
  ASSERT_NE(p.state(), nullptr);
  const auto binary_after = [&](std::size_t from) {
    return p.outbox.wait_for_message([](const Recorded& r) { return r.binary && !r.data().starts_with("NLFR"); }, from);
  };
  std::size_t from = p.outbox.size();
  p.send(R"({"type":"checkpoint","index":0,"mode":"region"})");
  const Recorded* checkpoint = binary_after(from);
  ASSERT_NE(checkpoint, nullptr);
  EXPECT_EQ(checkpoint->data().substr(0, 4), "NLCP");
  from = p.outbox.size();
  p.send(R"({"type":"export_gif","frame_ms":40})");
  const Recorded* gif = binary_after(from);
  ASSERT_NE(gif, nullptr);
  EXPECT_EQ(gif->data().substr(0, 4), "NLGF");
  EXPECT_EQ(p.answer(R"({"type":"checkpoint","index":5})"),  // read, then checked by the session
            error_of("checkpoint", "checkpoint: index: must be 0..0, got 5"));
  const json shading = p.answer(R"({"type":"checkpoint","index":0,"shading":"blur"})");
  EXPECT_EQ(shading["command"], "checkpoint");
  EXPECT_EQ(shading["message"].get<std::string>().rfind("checkpoint.shading: ", 0), 0u) << shading;
  EXPECT_EQ(p.answer(R"({"type":"export_gif","interp_factor":21})"),
            error_of("export_gif", "export_gif.interp_factor: must be an integer 1..20, got 21"));
}

TEST(PlaygroundSession, ANewerCheckpointRequestReplacesOneStillWaiting) {
  Playground p;
  p.send(R"({"type":"step"})");  // checkpoints 0, 50, 120 and 250 examples
  ASSERT_NE(p.state([](const json& s) { return epoch(s) == 1; }), nullptr);
  p.outbox.hold();
  p.send(R"({"type":"set_run","epochs_per_frame":1})");  // changes nothing but sends a frame
  ASSERT_TRUE(p.outbox.wait_until_held());
  p.send(R"({"type":"checkpoint","index":2})");
  p.send(R"({"type":"checkpoint","index":9})");
  EXPECT_EQ(p.session->pending(), 1u);
  const std::size_t from = p.outbox.size();
  p.outbox.release();
  const Recorded* error = p.error(from);
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->json, error_of("checkpoint", "checkpoint: index: must be 0..3, got 9"));
  p.send(R"({"type":"checkpoint","index":3})");
  const Recorded* reply = p.outbox.wait_for_message([](const Recorded& r) { return r.binary && r.data().starts_with("NLCP"); }, from);
  ASSERT_NE(reply, nullptr);
  EXPECT_EQ(u32_at(reply->data(), 8), 3u) << "the replaced request got no answer";
}

TEST(PlaygroundSession, MoreThanSixtyFourWaitingCommandsAreAnsweredBusy) {
  Playground p;
  ASSERT_NE(p.state(), nullptr);
  p.outbox.hold();
  p.send(R"({"type":"step"})");
  ASSERT_TRUE(p.outbox.wait_until_held());  // the session's thread is busy with that step
  for (std::size_t i = 0; i < kMaxPendingCommands; ++i) p.send(R"({"type":"step"})");
  EXPECT_EQ(p.session->pending(), kMaxPendingCommands);
  EXPECT_EQ(p.answer(R"({"type":"step"})"),
            error_of("step", "busy: 64 commands are still waiting; send fewer"));
  p.outbox.release();
  // Every command that waited is applied: 1 + 64 steps.
  ASSERT_NE(p.state([](const json& s) { return epoch(s) == 65; }), nullptr);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(p.session->frame()->metrics.epoch, 65);
  EXPECT_EQ(p.outbox.all("error").size(), 1u);
}

}  // namespace
}  // namespace netlens::server::playground
