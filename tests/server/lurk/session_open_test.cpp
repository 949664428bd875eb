// What the Lurk view opens besides a .nlmodel of the models folder: a .onnx of that folder, and
// a run directory of the runs folder (its model.nlmodel and model.checkpoints, as train writes them).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "nn/model_file.hpp"
#include "nn/onnx/export.hpp"
#include "server/lurk/session.hpp"
#include "server/lurk/trained_model.hpp"
#include "server/support/recording_outbox.hpp"
#include "server/digits/run_recorder.hpp"
#include "train/image_timeline.hpp"
#include "train/run_folder.hpp"

using namespace netlens;
using namespace netlens::server;
using namespace netlens::server::lurk;
using netlens::test::TrainedModel;
using nlohmann::json;
namespace fs = std::filesystem;

TEST(LurkSessionOpen, ListsAndOpensAnOnnxModelOfTheModelsFolder) {
  const TrainedModel trained;
  {
    const nn::Model model = nn::load_model(trained.models / "bars-cnn.nlmodel");
    nn::OnnxExport how;
    how.final_op = "Softmax";
    std::ofstream(trained.models / "bars-cnn.onnx", std::ios::binary) << nn::export_onnx(model.network, how);
  }
  RecordingOutbox out;
  Budget memory(1ull << 30);
  digits::ImageDataCache images(memory);
  LurkSession session(out, {trained.models, trained.data, {}}, memory, images);
  out.attach(session);
  const Recorded* hello = out.wait_for("hello");
  ASSERT_TRUE(hello);
  EXPECT_EQ(hello->json["models"], json({"bars-cnn.nlmodel", "bars-cnn.onnx"}));
  EXPECT_EQ(hello->json["runs"], json::array()) << "no runs folder";

  session.receive(R"({"type":"open","model":"bars-cnn.onnx"})");
  const Recorded* network = out.wait_for("network");
  ASSERT_TRUE(network);
  EXPECT_EQ(network->json["model"], "bars-cnn.onnx");
  EXPECT_EQ(network->json["layers"][0]["kind"], "Conv2D");
  ASSERT_TRUE(out.wait_for("progress", [](const json& j) { return j["done"] == j["total"]; }));
  session.receive(R"({"type":"unit","layer":0,"unit":1})");
  const Recorded* unit = out.wait_for("unit");
  ASSERT_TRUE(unit) << "the imported network is browsed as the trained one is";
  EXPECT_EQ(unit->json["top_max"].size(), 9u);
  EXPECT_GT(unit->json["gradient_max"]["layer"][0].get<double>(), 0) << "the layer's gradient scale";
  EXPECT_GE(unit->json["gradient_max"]["global"][0].get<double>(), unit->json["gradient_max"]["layer"][0].get<double>());
}

TEST(LurkSessionOpen, OpensARunDirectoryWithItsCheckpointScrubber) {
  const TrainedModel trained;
  const fs::path runs = trained.models.parent_path() / "lurk_runs";
  fs::remove_all(runs);
  fs::create_directories(runs / "bars-run");
  fs::create_directories(runs / "playground-run");  // a run with no model: not listed
  {  // the run as train writes it: the model, and its timeline through ImageTimeline's writer
    nn::Model model = nn::load_model(trained.models / "bars-cnn.nlmodel");
    nn::save_model(runs / "bars-run" / train::kRunModelName, model.header, model.network);
    train::ImageTimeline timeline(600);
    Tensor& w = *model.network.layer(0).params()[0].value;
    for (auto& v : w.values()) v *= 0.5f;
    ASSERT_TRUE(timeline.maybe_record(model.network, 0, 0, 0, std::nan("")));
    for (auto& v : w.values()) v *= 2.0f;
    timeline.finish(model.network, 600, 19, 1, 0.5);
    timeline.save(runs / "bars-run" / train::kRunCheckpointsName);
  }
  RecordingOutbox out;
  Budget memory(1ull << 30);
  digits::ImageDataCache images(memory);
  LurkSession session(out, {trained.models, trained.data, runs}, memory, images);
  out.attach(session);
  const Recorded* hello = out.wait_for("hello");
  ASSERT_TRUE(hello);
  EXPECT_EQ(hello->json["runs"], json({"bars-run"}));

  session.receive(R"({"type":"open_run","run":"bars-run"})");
  const Recorded* network = out.wait_for("network");
  ASSERT_TRUE(network);
  EXPECT_EQ(network->json["model"], "run bars-run");
  ASSERT_EQ(network->json["checkpoints"].size(), 2u);
  EXPECT_EQ(network->json["checkpoints"][1]["examples"], 600);
  const Recorded* done = out.wait_for("progress", [](const json& j) { return j["done"] == j["total"]; });
  ASSERT_TRUE(done);
  EXPECT_TRUE(fs::exists(runs / "bars-run" / "model.nlmodel.lurk")) << "the pass is cached beside the run's model";

  session.receive(R"({"type":"checkpoint","index":0})");
  const Recorded* shown = out.wait_for("checkpoint", done->index);
  ASSERT_TRUE(shown);
  EXPECT_EQ(shown->json["shown"], 0);
  ASSERT_TRUE(out.wait_for("progress", [](const json& j) { return j["done"] == j["total"]; }, shown->index));

  session.receive(R"({"type":"open_run","run":"nope"})");
  const Recorded* missing = out.wait_for("error", shown->index);
  ASSERT_TRUE(missing);
  EXPECT_NE(missing->json["message"].get<std::string>().find("no run named nope in the runs folder"), std::string::npos)
      << missing->json["message"];
  session.receive(R"({"type":"open_run","run":"playground-run"})");
  const Recorded* empty = out.wait_for("error", missing->index + 1);
  ASSERT_TRUE(empty);
  EXPECT_NE(empty->json["message"].get<std::string>().find("holds no model.nlmodel"), std::string::npos) << empty->json["message"];
  session.receive(R"({"type":"open_run","run":"../etc"})");
  const Recorded* bad = out.wait_for("error", empty->index + 1);
  ASSERT_TRUE(bad);
  EXPECT_NE(bad->json["message"].get<std::string>().find("open_run.run"), std::string::npos) << bad->json["message"];
}

// A run another session writes as it trains (the Digits view's, through RunRecorder): open_run
// follows it while it is live, shows each new checkpoint as it lands, and says when it has ended.
TEST(LurkSessionOpen, FollowsARunAnotherSessionWritesUntilItEnds) {
  const TrainedModel trained;
  const fs::path runs = trained.models.parent_path() / "lurk_follow_runs";
  fs::remove_all(runs);
  nn::Model model = nn::load_model(trained.models / "bars-cnn.nlmodel");
  Tensor& w = *model.network.layer(0).params()[0].value;
  LiveRuns live;
  train::ImageTimeline timeline(600);
  auto recorder = std::make_unique<digits::RunRecorder>(runs, live, "mnist", "cnn", model.header);
  ASSERT_TRUE(timeline.maybe_record(model.network, 0, 0, 0, std::nan("")));
  recorder->record(timeline, model.network, 0, std::nan(""));

  RecordingOutbox out;
  Budget memory(1ull << 30);
  digits::ImageDataCache images(memory);
  LurkSession session(out, {trained.models, trained.data, runs, &live}, memory, images);
  out.attach(session);
  ASSERT_TRUE(out.wait_for("hello"));
  session.receive(json{{"type", "open_run"}, {"run", recorder->name()}}.dump());
  const Recorded* network = out.wait_for("network");
  ASSERT_TRUE(network);
  EXPECT_EQ(network->json["live"], true);
  const Recorded* following = out.wait_for("training", [](const json& j) { return j["phase"] == "following"; });
  ASSERT_TRUE(following);
  EXPECT_EQ(following->json["run"], recorder->name());
  const Recorded* first = out.wait_for("checkpoint", [](const json& j) { return j["shown"] == 0; });
  ASSERT_TRUE(first);
  EXPECT_EQ(first->json["follow"], true);
  ASSERT_TRUE(out.wait_for("progress", [](const json& j) { return j["done"] == j["total"]; }, first->index));
  session.receive(R"({"type":"unit","layer":0,"unit":0})");  // as the page does once a pass is done
  ASSERT_TRUE(out.wait_for("unit", first->index));

  // The writer trains on: a new checkpoint in the folder is read, listed and shown.
  for (auto& v : w.values()) v *= 0.5f;
  ASSERT_TRUE(timeline.maybe_record(model.network, 50, 2, 0, std::nan("")));
  recorder->record(timeline, model.network, 0, std::nan(""));
  const Recorded* listed = out.wait_for("checkpoints", [](const json& j) { return j["list"].size() == 2; }, first->index);
  ASSERT_TRUE(listed) << "the folder is looked at every second";
  EXPECT_EQ(listed->json["list"][1]["examples"], 50);
  const Recorded* newest = out.wait_for("checkpoint", [](const json& j) { return j["shown"] == 1; }, listed->index);
  ASSERT_TRUE(newest) << "the newest checkpoint is followed";
  ASSERT_TRUE(out.wait_for("progress", [](const json& j) { return j["done"] == j["total"]; }, newest->index));

  // It ends: its last checkpoint is read and the view says so.
  timeline.finish(model.network, 600, 19, 1, 0.5);
  recorder->finish(timeline, model.network, model.header, 1, "done");
  const Recorded* ended = out.wait_for("training", [](const json& j) { return j["phase"] == "done"; }, newest->index);
  ASSERT_TRUE(ended);
  EXPECT_EQ(ended->json["run"], recorder->name());
  const Recorded* last = out.wait_for("checkpoints", [](const json& j) { return j["list"].size() == 3; }, newest->index);
  ASSERT_TRUE(last);
  EXPECT_LT(last->index, ended->index) << "the run's last checkpoint is read before it is said to have ended";
  EXPECT_EQ(last->json["list"][2]["examples"], 600);
  fs::remove_all(runs);
}
