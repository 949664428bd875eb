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
#include "train/image_timeline.hpp"

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
    nn::save_model(runs / "bars-run" / kRunModel, model.header, model.network);
    train::ImageTimeline timeline(600);
    Tensor& w = *model.network.layer(0).params()[0].value;
    for (auto& v : w.values()) v *= 0.5f;
    ASSERT_TRUE(timeline.maybe_record(model.network, 0, 0, 0, std::nan("")));
    for (auto& v : w.values()) v *= 2.0f;
    timeline.finish(model.network, 600, 19, 1, 0.5);
    timeline.save(runs / "bars-run" / kRunCheckpoints);
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
