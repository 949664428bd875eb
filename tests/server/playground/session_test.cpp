// The Playground session: its greeting, play, step, pause, reset, specs, stop rules, errors.
#include "server/playground/session.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <thread>

#include "server/playground/playground_fixture.hpp"

namespace netlens::server::playground {
namespace {

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
