#include "server/digits/session.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <filesystem>
#include <mutex>

#include "nn/image_network.hpp"
#include "nn/model_file.hpp"
#include "nn/onnx/export.hpp"
#include "support/bar_images.hpp"
#include "support/scratch.hpp"
#include "train/image_config.hpp"
#include "train/image_timeline.hpp"
#include "train/run_folder.hpp"

#include <fstream>
#include <iterator>

// GCC says AddressSanitizer with __SANITIZE_ADDRESS__, clang through __has_feature.
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN
#endif
#endif

using namespace netlens;
using namespace netlens::server;
using namespace netlens::server::digits;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// Collects what a session sends, its newest frames as they come; waits for a message of a
// given type.
struct Inbox final : server::Outbox {
  std::mutex mutex;
  std::condition_variable arrived;
  std::vector<std::pair<std::string, bool>> messages;
  server::ViewSession* session = nullptr;

  void send(server::Outgoing m) override {
    std::lock_guard lock(mutex);
    messages.emplace_back(*m.bytes, m.binary);
    arrived.notify_all();
  }
  void newest_ready() override {
    std::lock_guard lock(mutex);
    if (!session) return;
    for (auto& m : session->take_newest()) messages.emplace_back(*m.bytes, m.binary);
    arrived.notify_all();
  }
  void attach(server::ViewSession& s) {
    {
      std::lock_guard lock(mutex);
      session = &s;
    }
    newest_ready();
  }

  // The first JSON message of `type` whose predicate holds, after index `from`; waits up to 60 s.
  json wait_for(const std::string& type, std::size_t& from, const std::function<bool(const json&)>& ok = {}) {
    std::unique_lock lock(mutex);
    json found;
    arrived.wait_for(lock, std::chrono::seconds(60), [&] {
      for (; from < messages.size(); ++from) {
        if (messages[from].second) continue;
        json j = json::parse(messages[from].first);
        if (j["type"] == type && (!ok || ok(j))) {
          found = j;
          ++from;
          return true;
        }
      }
      return false;
    });
    return found;
  }

  // The first binary message at or after `index`; waits up to 60 s.
  std::string binary_after(std::size_t index) {
    std::unique_lock lock(mutex);
    std::string found;
    arrived.wait_for(lock, std::chrono::seconds(60), [&] {
      for (std::size_t i = index; i < messages.size(); ++i)
        if (messages[i].second) return found = messages[i].first, true;
      return false;
    });
    return found;
  }
};

std::vector<float> bar_drawing(int cls) {
  std::vector<float> pad(784, 0.0f);
  for (int y = 3 + 2 * cls; y < 5 + 2 * cls; ++y)
    for (int x = 4; x < 24; ++x) pad[static_cast<std::size_t>(y * 28 + x)] = 1.0f;
  return pad;
}

}  // namespace

TEST(DigitsSession, TrainsTheDefaultModelOnFirstUseThenAnswersDrawingsAndSamples) {
  const std::string data = test::write_bar_images("digits", 600, 100);
  const fs::path models = test::scratch_dir() / "models";
  fs::remove_all(models);
  Inbox inbox;
  std::size_t at = 0;
  {
    Budget memory(4ull << 30);
    ImageDataCache images(memory);
    DigitsSession session(inbox, {models, data}, memory, images);
    inbox.attach(session);
    const json hello = inbox.wait_for("hello", at);
    EXPECT_EQ(hello["protocol"], 2);
    EXPECT_EQ(hello["view"], "digits");
    const json model = inbox.wait_for("model", at);
    EXPECT_EQ(model["model"], "mlp");
    EXPECT_EQ(model["stages"].size(), 4u);  // input, dense 128, dense 64, output
    EXPECT_TRUE(model["trained"].is_null()) << "no model saved yet: it is being trained";
    const json done = inbox.wait_for("progress", at, [](const json& j) { return j["phase"] == "done"; });
    EXPECT_GT(done["test_accuracy"].get<double>(), 0.5) << "chance is 0.1";
    EXPECT_TRUE(fs::exists(models / "mnist-mlp.nlmodel"));
    const json trained = inbox.wait_for("model", at);
    EXPECT_FALSE(trained["trained"].is_null());

    // A drawing: a prediction and its tensors (the prepared image, then each stage's values).
    session.receive(json{{"type", "infer"}, {"width", 28}, {"height", 28}, {"pixels", bar_drawing(6)}}.dump());
    const json p = inbox.wait_for("prediction", at);
    ASSERT_EQ(p["probabilities"].size(), 10u);
    const std::string frame = inbox.binary_after(at - 1);
    ASSERT_GE(frame.size(), 12u);
    EXPECT_EQ(frame.substr(0, 4), "NLDA");
    EXPECT_EQ(static_cast<unsigned char>(frame[8]), 5) << "the image and four stages";

    session.receive(R"({"type":"sample","label":4})");
    const json s = inbox.wait_for("sample", at);
    EXPECT_EQ(s["label"], 4);
    EXPECT_EQ(s["pixels"].size(), 784u);

    // The same drawing at the first checkpoint (before any step): the untrained network's
    // probabilities, near uniform; then back to the trained weights, exactly as before.
    session.receive(R"({"type":"checkpoint","index":0})");
    const json early = inbox.wait_for("prediction", at);
    EXPECT_EQ(early["checkpoint"], 0);
    const auto top = [](const json& probabilities) { return *std::max_element(probabilities.begin(), probabilities.end()); };
    EXPECT_LT(top(early["probabilities"]).get<double>(), 0.5);
    session.receive(R"({"type":"checkpoint","index":-1})");
    const json live = inbox.wait_for("prediction", at);
    EXPECT_EQ(live["checkpoint"], -1);
    EXPECT_EQ(live["probabilities"], p["probabilities"]);
    session.receive(R"({"type":"checkpoint","index":63})");
    EXPECT_NE(inbox.wait_for("error", at)["message"].get<std::string>().find("is past the last checkpoint"), std::string::npos);
  }
  // A second session loads the saved model at once, with its checkpoints: from before the
  // first step to the end of training.
  Inbox second;
  std::size_t at2 = 0;
  {
    Budget memory(4ull << 30);
    ImageDataCache images(memory);
    DigitsSession session(second, {models, data}, memory, images);
    second.attach(session);
    EXPECT_FALSE(second.wait_for("model", at2)["trained"].is_null());
    const json checkpoints = second.wait_for("checkpoints", at2);
    ASSERT_GE(checkpoints["list"].size(), 5u) << checkpoints;
    EXPECT_EQ(checkpoints["list"][0]["examples"], 0);
    EXPECT_EQ(checkpoints["list"].back()["examples"], 2 * 540) << "two epochs of 540 training images";
  }
  fs::remove_all(models);
  fs::remove_all(data);
}

// A tab closed (or a server stopped) in the middle of training keeps the finished epochs: the
// session saves the run as `stop` would.
TEST(DigitsSession, ClosingMidTrainingSavesTheFinishedEpochs) {
  const std::string data = test::write_bar_images("digits_close", 6000, 100);
  const fs::path models = test::scratch_dir() / "models_close";
  fs::remove_all(models);
  fs::create_directories(models);
  Inbox inbox;
  std::size_t at = 0;
  {
    Budget memory(4ull << 30);
    ImageDataCache images(memory);
    DigitsSession session(inbox, {models, data}, memory, images);
    inbox.attach(session);
    session.receive(R"({"type":"train","data":"mnist","model":"cnn"})");
    inbox.wait_for("progress", at, [](const json& j) { return j.contains("validation_loss"); });
  }  // mid-way through the second of two epochs
  const nn::Model saved = nn::load_model(models / "mnist-cnn.nlmodel");
  EXPECT_EQ(saved.header["epochs"], 1);
  EXPECT_TRUE(fs::exists(models / "mnist-cnn.checkpoints" / "checkpoint-00000.bin"));
  for (const auto& [text, binary] : inbox.messages) {
    if (binary) continue;
    EXPECT_EQ(text.find("\"phase\":\"done\""), std::string::npos) << "the run did not finish by itself";
  }
  fs::remove_all(models);
  fs::remove_all(data);
}

namespace {
std::string file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
}  // namespace

// #14 item 10: a run stopped before it has learned anything does worse on the test set than
// the saved model, so the saved model stays (on disk, byte for byte, and served), and the page
// is told which model it has.
TEST(DigitsSession, StopKeepsTheSavedModelWhenTheRunDoesWorse) {
  const std::string data = test::write_bar_images("digits_stop", 600, 100);
  const fs::path models = test::scratch_dir() / "models_stop";
  fs::remove_all(models);
  Inbox inbox;
  std::size_t at = 0;
  {
    Budget memory(4ull << 30);
    ImageDataCache images(memory);
    DigitsSession session(inbox, {models, data}, memory, images);
    inbox.attach(session);
    const json first = inbox.wait_for("progress", at, [](const json& j) { return j["phase"] == "done"; });
    EXPECT_EQ(first["kept"], "run") << "nothing was saved before";
    EXPECT_FALSE(first.contains("saved_test_accuracy"));
    const double saved = first["test_accuracy"].get<double>();
    ASSERT_GT(saved, 0.5);
    const std::string before = file_bytes(models / "mnist-mlp.nlmodel");
    inbox.wait_for("model", at, [](const json& j) { return !j["trained"].is_null(); });

    session.receive(R"({"type":"train","data":"mnist","model":"mlp"})");
    session.receive(R"({"type":"stop"})");
    const json stopped = inbox.wait_for("progress", at, [](const json& j) { return j["phase"] == "done"; });
    EXPECT_EQ(stopped["epoch"], 0);
    EXPECT_LT(stopped["test_accuracy"].get<double>(), saved) << stopped;
    EXPECT_EQ(stopped["kept"], "saved");
    EXPECT_DOUBLE_EQ(stopped["saved_test_accuracy"].get<double>(), saved);
    EXPECT_EQ(file_bytes(models / "mnist-mlp.nlmodel"), before) << "the saved model was overwritten";
    const json served = inbox.wait_for("model", at, [](const json& j) { return !j["trained"].is_null(); });
    EXPECT_DOUBLE_EQ(served["trained"]["test_accuracy"].get<double>(), saved);
  }
  fs::remove_all(models);
  fs::remove_all(data);
}

// #14 item 31: the model message says how each conv and pool stage slides over its input, so
// the page need not guess it from the shapes.
TEST(DigitsSession, ModelMessageGivesEachConvAndPoolStageItsKernelStrideAndPadding) {
  const std::string data = test::write_bar_images("digits_geometry", 600, 100);
  const fs::path models = test::scratch_dir() / "models_geometry";
  fs::remove_all(models);
  Inbox inbox;
  std::size_t at = 0;
  {
    Budget memory(4ull << 30);
    ImageDataCache images(memory);
    DigitsSession session(inbox, {models, data}, memory, images);
    inbox.attach(session);
    session.receive(R"({"type":"train","data":"mnist","model":"cnn"})");
    const json model = inbox.wait_for("model", at, [](const json& j) { return j["model"] == "cnn"; });
    session.receive(R"({"type":"stop"})");
    std::vector<std::string> kinds;
    for (const auto& s : model["stages"]) kinds.push_back(s["kind"]);
    ASSERT_EQ(kinds, (std::vector<std::string>{"input", "conv", "pool", "conv", "pool", "dense", "output"})) << model;
    for (int i : {1, 3}) {
      EXPECT_EQ(model["stages"][i]["kernel"], 3) << model["stages"][i];
      EXPECT_EQ(model["stages"][i]["stride"], 1);
      EXPECT_EQ(model["stages"][i]["padding"], 1);
    }
    for (int i : {2, 4}) {
      EXPECT_EQ(model["stages"][i]["kernel"], 2) << model["stages"][i];
      EXPECT_EQ(model["stages"][i]["stride"], 2);
      EXPECT_EQ(model["stages"][i]["padding"], 0);
    }
    for (int i : {0, 5, 6}) EXPECT_FALSE(model["stages"][i].contains("stride")) << model["stages"][i];
  }
  fs::remove_all(models);
  fs::remove_all(data);
}

namespace {
std::size_t resident_bytes() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::stoul(line.substr(6)) * 1024;
  return 0;
}
}  // namespace

// Twenty tabs train at once on real MNIST: the data set is loaded once and shared, so they fit
// in a budget far below twenty copies (about 250 MB each); one that would go past what is left
// (a second data set) is refused naming the memory, and the others train on.
TEST(DigitsSession, TwentySessionsTrainingAtOnceShareOneDataSetWithinTheBudget) {
  const std::string mnist = train::dataset_dir("mnist");
  if (!fs::exists(fs::path(mnist) / "train-images-idx3-ubyte")) GTEST_SKIP() << "no MNIST in " << mnist << " (make setup)";
  const fs::path models = test::scratch_dir() / "models_twenty";
  fs::remove_all(models);
  constexpr std::size_t kLimit = 768ull << 20;
  Budget memory(kLimit);
  ImageDataCache images(memory);
  const std::size_t before = resident_bytes();
  std::vector<std::unique_ptr<Inbox>> inboxes;
  std::vector<std::unique_ptr<DigitsSession>> sessions;
  for (int i = 0; i < 20; ++i) {
    inboxes.push_back(std::make_unique<Inbox>());
    sessions.push_back(std::make_unique<DigitsSession>(*inboxes.back(), DigitsOptions{models, ""}, memory, images));
    inboxes.back()->attach(*sessions.back());
  }
  // No model is saved yet, so each trains the default MLP at once.
  for (auto& inbox : inboxes) {
    std::size_t at = 0;
    const json training = inbox->wait_for("progress", at, [](const json& j) { return j["phase"] == "training"; });
    ASSERT_EQ(training["phase"], "training") << "a session did not start training";
  }
  EXPECT_LE(memory.used(), kLimit);
#ifndef UNDER_ASAN  // AddressSanitizer's shadow and quarantine would count too
  EXPECT_LT(resident_bytes() - before, kLimit) << "resident memory grew past the budget";
#else
  (void)before;
#endif

  Inbox fashion;
  std::size_t at = 0;
  DigitsSession extra(fashion, DigitsOptions{models, ""}, memory, images);
  fashion.attach(extra);
  fashion.wait_for("progress", at, [](const json& j) { return j["phase"] == "training"; });
  extra.receive(R"({"type":"train","data":"fashion-mnist","model":"mlp"})");
  const json refused = fashion.wait_for("error", at);
  EXPECT_EQ(refused["command"], "train");
  EXPECT_EQ(refused["message"].get<std::string>().rfind("train: memory: ", 0), 0u) << refused;
  // The others go on training.
  std::size_t first;
  {
    std::lock_guard lock(inboxes[0]->mutex);
    first = inboxes[0]->messages.size();
  }
  // (On a fast machine its two epochs may end meanwhile: "done" is going on too.)
  const json later =
      inboxes[0]->wait_for("progress", first, [](const json& j) { return j["phase"] == "training" || j["phase"] == "done"; });
  ASSERT_FALSE(later.is_null()) << "the first session said nothing more";
  sessions.clear();
  fs::remove_all(models);
}

namespace {

// A 28 × 28 network of `channels` input channels and ten classes, as ONNX (from nn's exporter).
void write_onnx(const fs::path& path, int channels) {
  const json config{{"in_channels", channels},
                    {"input_size", 28},
                    {"num_classes", 10},
                    {"layers",
                     {{{"type", "conv"}, {"out_channels", 4}, {"filter_size", 3}, {"stride", 1}, {"padding", 1}},
                      {{"type", "relu"}},
                      {{"type", "maxpool"}, {"filter_size", 2}, {"stride", 2}},
                      {{"type", "flatten"}},
                      {{"type", "dense"}, {"out_features", 10}},
                      {{"type", "softmax"}}}}};
  const nn::Network network = nn::build_image_network(nn::parse_image_network(config), 7);
  nn::OnnxExport how;
  how.final_op = "Softmax";
  std::ofstream(path, std::ios::binary) << nn::export_onnx(network, how);
}

}  // namespace

// The models folder's .nlmodel and .onnx files are listed, and either kind opens by its name.
TEST(DigitsSession, ListsAndOpensTheModelsFoldersOnnxAndNlmodelFiles) {
  const std::string data = test::write_bar_images("digits_files", 300, 50);
  const fs::path models = test::scratch_dir() / "models_files";
  fs::remove_all(models);
  fs::create_directories(models);
  {  // the default model, saved untrained, so the session does not train one first
    const auto config = train::parse_image_config(digits_config("mlp"));
    nn::Network network = nn::build_image_network(config.network, 1);
    nn::save_model(models / "mnist-mlp.nlmodel", {{"config", config.json}}, network);
  }
  write_onnx(models / "mine.onnx", 1);
  write_onnx(models / "colour.onnx", 3);
  std::ofstream(models / "notes.txt") << "not a model";

  Inbox inbox;
  std::size_t at = 0;
  Budget memory(4ull << 30);
  ImageDataCache images(memory);
  DigitsSession session(inbox, {models, data}, memory, images);
  inbox.attach(session);
  EXPECT_EQ(inbox.wait_for("models", at)["files"], json::array({"colour.onnx", "mine.onnx", "mnist-mlp.nlmodel"}));
  EXPECT_EQ(inbox.wait_for("model", at)["model"], "mlp");

  session.receive(R"({"type":"open","file":"mine.onnx"})");
  const json opened = inbox.wait_for("model", at);
  EXPECT_EQ(opened["model"], "mine.onnx");
  EXPECT_EQ(opened["stages"].size(), 4u);  // input, conv, pool, output
  session.receive(json{{"type", "infer"}, {"width", 28}, {"height", 28}, {"pixels", bar_drawing(2)}}.dump());
  EXPECT_EQ(inbox.wait_for("prediction", at)["probabilities"].size(), 10u);

  session.receive(R"({"type":"open","file":"colour.onnx"})");
  EXPECT_EQ(inbox.wait_for("error", at)["message"],
            "open: file: colour.onnx takes 3 channels; the pad draws one (a grey 28 × 28 digit)");
  session.receive(R"({"type":"open","file":"../mine.onnx"})");
  EXPECT_NE(inbox.wait_for("error", at)["message"].get<std::string>().find("open.file: must be a model file's name"),
            std::string::npos);
  session.receive(R"({"type":"open","file":"gone.onnx"})");
  EXPECT_EQ(inbox.wait_for("error", at)["message"], "open: file: no model named 'gone.onnx' in the models folder");
  session.receive(R"({"type":"open","file":"notes.txt"})");
  EXPECT_NE(inbox.wait_for("error", at)["message"].get<std::string>().find("open.file:"), std::string::npos);
  // The model open before the refusals is still the one shown.
  session.receive(json{{"type", "infer"}, {"width", 28}, {"height", 28}, {"pixels", bar_drawing(2)}}.dump());
  EXPECT_EQ(inbox.wait_for("prediction", at)["probabilities"].size(), 10u);
}

// A run of the runs folder with an image model (as server/ingest writes one: model.nlmodel and
// model.checkpoints/) opens with its checkpoints; a run without one is refused, saying why.
TEST(DigitsSession, OpensARunsImageModelWithItsCheckpoints) {
  const std::string data = test::write_bar_images("digits_runs", 300, 50);
  const fs::path models = test::scratch_dir() / "models_runs", runs = test::scratch_dir() / "runs_digits";
  fs::remove_all(models);
  fs::remove_all(runs);
  fs::create_directories(models);
  const auto config = train::parse_image_config(digits_config("mlp"));
  {  // the default model, so the session does not train one first
    nn::Network network = nn::build_image_network(config.network, 1);
    nn::save_model(models / "mnist-mlp.nlmodel", {{"config", config.json}}, network);
  }
  fs::create_directories(runs / "cnn");
  std::ofstream(runs / "cnn" / "manifest.json") << R"({"format":"netlens-run","source":"ingested","ingest":{"image":true}})";
  {
    nn::Network network = nn::build_image_network(config.network, 2);
    nn::save_model(runs / "cnn" / "model.nlmodel", {{"config", config.json}}, network);
    train::ImageTimeline timeline;
    timeline.add(network, 0, 0, 0, std::nan(""));
    timeline.add(network, 640, 10, 0, 1.5);
    timeline.add(network, 1280, 20, 0, 0.9);
    timeline.save(runs / "cnn" / "model.checkpoints");
  }
  fs::create_directories(runs / "spiral");
  std::ofstream(runs / "spiral" / "manifest.json") << R"({"format":"netlens-run","source":"ingested","ingest":{}})";

  Inbox inbox;
  std::size_t at = 0;
  Budget memory(4ull << 30);
  ImageDataCache images(memory);
  DigitsSession session(inbox, {models, data, runs}, memory, images);
  inbox.attach(session);
  EXPECT_EQ(inbox.wait_for("model", at)["run"], nullptr);

  session.receive(R"({"type":"open_run","run":"cnn"})");
  const json opened = inbox.wait_for("model", at, [](const json& m) { return m["run"] == "cnn"; });
  EXPECT_EQ(opened["model"], "cnn");
  const json checkpoints = inbox.wait_for("checkpoints", at, [](const json& m) { return m["list"].size() == 3; });
  EXPECT_EQ(checkpoints["list"][1]["examples"], 640);
  EXPECT_EQ(checkpoints["list"][2]["loss"], 0.9);
  session.receive(R"({"type":"checkpoint","index":2})");
  session.receive(json{{"type", "infer"}, {"width", 28}, {"height", 28}, {"pixels", bar_drawing(2)}}.dump());
  EXPECT_EQ(inbox.wait_for("prediction", at, [](const json& m) { return m["checkpoint"] == 2; })["probabilities"].size(), 10u);

  session.receive(R"({"type":"open_run","run":"spiral"})");
  EXPECT_EQ(inbox.wait_for("error", at)["message"].get<std::string>().rfind("open_run: run: 'spiral' has no image model", 0), 0u);
  session.receive(R"({"type":"open_run","run":"gone"})");
  EXPECT_NE(inbox.wait_for("error", at)["message"].get<std::string>().find("no run named 'gone'"), std::string::npos);
  session.receive(R"({"type":"open_run","run":"../cnn"})");
  EXPECT_NE(inbox.wait_for("error", at)["message"].get<std::string>().find("must not contain '/'"), std::string::npos);
  fs::remove_all(runs);
}

// With a runs folder, a training run is a run directory written as it trains (RunRecorder): listed
// live, its checkpoints on disk one by one as the page gets them, and its end said in the manifest.
TEST(DigitsSession, ATrainingRunIsARunDirectoryLiveUntilItEnds) {
  const std::string data = test::write_bar_images("digits_record", 3000, 100);
  const fs::path models = test::scratch_dir() / "models_record", runs = test::scratch_dir() / "runs_record";
  fs::remove_all(models);
  fs::remove_all(runs);
  Inbox inbox;
  std::size_t at = 0;
  LiveRuns live;
  Budget memory(4ull << 30);
  ImageDataCache images(memory);
  DigitsSession session(inbox, {models, data, runs, &live}, memory, images);
  inbox.attach(session);
  session.receive(R"({"type":"train","data":"mnist","model":"cnn"})");
  // The session first trains the default MLP (no model is saved yet); the CNN's run replaces it.
  const json progress = inbox.wait_for("progress", at, [](const json& j) { return j.contains("run") && j["model"] == "cnn"; });
  ASSERT_TRUE(progress.is_object()) << "the progress names the run directory";
  const std::string name = progress["run"];
  EXPECT_EQ(name.rfind("mnist-cnn-", 0), 0u) << name;
  const fs::path dir = runs / name;
  ASSERT_TRUE(live.writes(name)) << "listed live while it trains";
  EXPECT_EQ(live.list().at(0).view, "digits");
  const json meta = json::parse(std::ifstream(dir / "meta.json"));
  EXPECT_EQ(meta["automatic"], true) << "the runs folder's retention applies";

  // The page's checkpoints and the folder's agree as the run goes on.
  const json three = inbox.wait_for("checkpoints", at, [](const json& j) { return j["list"].size() >= 3; });
  ASSERT_TRUE(three.is_object());
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir / "model.checkpoints")) files += e.path().extension() == ".bin";
  EXPECT_GE(files, 3u);
  const train::ImageTimeline read =
      train::ImageTimeline::load(dir / "model.checkpoints", nn::load_model(dir / "model.nlmodel").network.param_count());
  EXPECT_EQ(read.checkpoints().at(2).examples, three["list"][2]["examples"]);

  session.receive(R"({"type":"stop"})");
  const json done = inbox.wait_for("progress", at, [](const json& j) { return j["phase"] == "done"; });
  ASSERT_TRUE(done.is_object());
  EXPECT_FALSE(live.writes(name)) << "no longer live once it has ended";
  const json manifest = json::parse(std::ifstream(dir / "manifest.json"));
  EXPECT_EQ(manifest["source"], "netlens");
  EXPECT_EQ(manifest["image"]["status"], "stopped");
  EXPECT_EQ(manifest["image"]["test_accuracy"], done["test_accuracy"]);
  const nn::Model final_model = nn::load_model(dir / "model.nlmodel");
  EXPECT_EQ(final_model.header["test_accuracy"], done["test_accuracy"]) << "the run's kept weights";
  const auto listed = train::list_runs(runs);
  ASSERT_EQ(listed.size(), 2u) << "the MLP's run and the CNN's";
  for (const auto& run : listed) {
    EXPECT_EQ(run.problem, "");
    EXPECT_EQ(run.views, (std::vector<std::string>{"digits", "lurk"}));
    if (run.name == name) continue;
    EXPECT_EQ(run.name.rfind("mnist-mlp-", 0), 0u) << run.name;
    EXPECT_EQ(json::parse(std::ifstream(runs / run.name / "manifest.json"))["image"]["status"], "interrupted")
        << "the MLP's run ended when the CNN's began";
  }
  fs::remove_all(models);
  fs::remove_all(runs);
  fs::remove_all(data);
}
