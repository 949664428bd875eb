#include "server/digits/session.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>

#include "support/bar_images.hpp"

using namespace netlens;
using namespace netlens::server;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// Collects what a session sends; waits for a message of a given type.
struct Inbox {
  std::mutex mutex;
  std::condition_variable arrived;
  std::vector<std::pair<std::string, bool>> messages;

  DigitsSession::Send sender() {
    return [this](std::string bytes, bool binary) {
      std::lock_guard lock(mutex);
      messages.emplace_back(std::move(bytes), binary);
      arrived.notify_all();
    };
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
  const fs::path models = fs::temp_directory_path() / ("netlens_models_" + std::to_string(::getpid()));
  fs::remove_all(models);
  Inbox inbox;
  std::size_t at = 0;
  {
    DigitsSession session({models, data}, inbox.sender());
    EXPECT_EQ(inbox.wait_for("hello", at)["protocol"], 1);
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
    session.handle(json{{"type", "infer"}, {"width", 28}, {"height", 28}, {"pixels", bar_drawing(6)}}.dump());
    const json p = inbox.wait_for("prediction", at);
    ASSERT_EQ(p["probabilities"].size(), 10u);
    const std::string frame = inbox.binary_after(at - 1);
    ASSERT_GE(frame.size(), 12u);
    EXPECT_EQ(frame.substr(0, 4), "NLDA");
    EXPECT_EQ(static_cast<unsigned char>(frame[8]), 5) << "the image and four stages";

    session.handle(R"({"type":"sample","label":4})");
    const json s = inbox.wait_for("sample", at);
    EXPECT_EQ(s["label"], 4);
    EXPECT_EQ(s["pixels"].size(), 784u);

    // The same drawing at the first checkpoint (before any step): the untrained network's
    // probabilities, near uniform; then back to the trained weights, exactly as before.
    session.handle(R"({"type":"checkpoint","index":0})");
    const json early = inbox.wait_for("prediction", at);
    EXPECT_EQ(early["checkpoint"], 0);
    const auto top = [](const json& probabilities) { return *std::max_element(probabilities.begin(), probabilities.end()); };
    EXPECT_LT(top(early["probabilities"]).get<double>(), 0.5);
    session.handle(R"({"type":"checkpoint","index":-1})");
    const json live = inbox.wait_for("prediction", at);
    EXPECT_EQ(live["checkpoint"], -1);
    EXPECT_EQ(live["probabilities"], p["probabilities"]);
    session.handle(R"({"type":"checkpoint","index":63})");
    EXPECT_NE(inbox.wait_for("error", at)["message"].get<std::string>().find("is past the last checkpoint"), std::string::npos);
  }
  // A second session loads the saved model at once, with its checkpoints: from before the
  // first step to the end of training.
  Inbox second;
  std::size_t at2 = 0;
  {
    DigitsSession session({models, data}, second.sender());
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
  const fs::path models = fs::temp_directory_path() / ("netlens_models_close_" + std::to_string(::getpid()));
  fs::remove_all(models);
  fs::create_directories(models);
  Inbox inbox;
  std::size_t at = 0;
  {
    DigitsSession session({models, data}, inbox.sender());
    session.handle(R"({"type":"train","data":"mnist","model":"cnn"})");
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
