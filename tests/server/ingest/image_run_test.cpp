#include "server/ingest/image_run.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/json.hpp"
#include "nn/layers/conv2d.hpp"
#include "nn/layers/dense.hpp"
#include "server/ingest/record_builders.hpp"
#include "server/ingest/run_writer.hpp"
#include "support/scratch.hpp"

namespace {

using namespace netlens;
using namespace netlens::server::ingest;
using namespace ingest_test;
namespace fs = std::filesystem;

// The layer list the client sends for Conv2d(1, 2, 3, padding=1), ReLU, MaxPool2d(2), Flatten,
// Linear(32, 10) on 1 × 8 × 8 images.
json cnn_layers() {
  return json::parse(R"([
    {"name": "0", "type": "Conv2d", "in": [1, 1, 8, 8], "out": [1, 2, 8, 8], "params": {"weight": [2, 1, 3, 3], "bias": [2]},
     "kernel_size": [3, 3], "stride": [1, 1], "padding": [1, 1], "dilation": [1, 1], "groups": 1},
    {"name": "1", "type": "ReLU", "in": [1, 2, 8, 8], "out": [1, 2, 8, 8], "params": {}},
    {"name": "2", "type": "MaxPool2d", "in": [1, 2, 8, 8], "out": [1, 2, 4, 4], "params": {}, "kernel_size": 2, "stride": 2,
     "padding": 0, "dilation": 1},
    {"name": "3", "type": "Flatten", "in": [1, 2, 4, 4], "out": [1, 32], "params": {}},
    {"name": "4", "type": "Linear", "in": [1, 32], "out": [1, 10], "params": {"weight": [10, 32], "bias": [10]}}])");
}

std::string image_model(const std::string& run, long seq) {
  return encode_record(static_cast<std::uint8_t>(Kind::Model), {{"run", run}, {"seq", seq}, {"layers", cnn_layers()}});
}

// The CNN's weights as PyTorch holds them, every value `base` + its index / 1000.
std::string image_snapshot(const std::string& run, long seq, long step, float base, std::size_t linear_in = 32) {
  std::vector<float> cw(18), cb(2), lw(10 * linear_in), lb(10);
  float v = base;
  for (auto* t : {&cw, &cb, &lw, &lb})
    for (float& x : *t) x = v, v += 0.001f;
  return encode_record(static_cast<std::uint8_t>(Kind::Tensor),
                       {{"run", run}, {"seq", seq}, {"step", step}, {"examples", step * 64}, {"role", "weights"}},
                       {{"0.weight", Dtype::F32, {2, 1, 3, 3}, bytes_of(cw)},
                        {"0.bias", Dtype::F32, {2}, bytes_of(cb)},
                        {"4.weight", Dtype::F32, {10, linear_in}, bytes_of(lw)},
                        {"4.bias", Dtype::F32, {10}, bytes_of(lb)}});
}

fs::path fresh_image_dir(const std::string& name) {
  const fs::path dir = test::scratch_dir() / ("ingest_image_" + name);
  fs::remove_all(dir);
  return dir;
}

std::unique_ptr<IngestRun> started(const fs::path& dir, const std::string& name) {
  const std::string h = hello(name, 0);
  auto run = std::make_unique<IngestRun>(dir, &parse_records(h)[0].meta);
  apply_all(*run, h + image_model(name, 1));
  return run;
}

TEST(ImageRun, ALayerListBecomesAnImageConfig) {
  const auto config = image_config_from_layers(cnn_layers());
  ASSERT_TRUE(config);
  const nn::ImageNetworkSpec spec = nn::parse_image_network(*config);
  EXPECT_EQ(spec.input_size, 8);
  EXPECT_EQ(spec.num_classes, 10);
  EXPECT_EQ(spec.param_count, 18u + 2 + 320 + 10);
  EXPECT_EQ((*config)["layers"][0], json({{"type", "conv"}, {"out_channels", 2}, {"filter_size", 3}, {"stride", 1}, {"padding", 1}}));
  json grouped = cnn_layers();
  grouped[0]["groups"] = 2;
  EXPECT_FALSE(image_config_from_layers(grouped));
  json lstm = cnn_layers();
  lstm[1]["type"] = "LSTM";
  EXPECT_FALSE(image_config_from_layers(lstm));
}

TEST(ImageRun, SnapshotsBecomeTheModelFileAndItsCheckpoints) {
  const fs::path dir = fresh_image_dir("snapshots");
  auto run = started(dir, "img");
  EXPECT_TRUE(fs::exists(dir / "model.nlmodel"));
  apply_all(*run, scalar("img", 2, 0, 2.3) + image_snapshot("img", 3, 0, 0.0f) + scalar("img", 4, 10, 1.5) +
                      image_snapshot("img", 5, 10, 1.0f));
  EXPECT_FALSE(run->warning()) << *run->warning();
  EXPECT_EQ(run->manifest()["ingest"]["image_checkpoints"], 2);

  nn::Model model = nn::load_image_model(dir / "model.nlmodel");  // the newest weights
  const auto& conv = dynamic_cast<nn::Conv2D&>(model.network.layer(0));
  EXPECT_FLOAT_EQ(conv.weight().values()[0], 1.0f);  // OIHW, as sent
  EXPECT_NEAR(conv.weight().values()[17], 1.017f, 1e-4);
  const auto& dense = dynamic_cast<nn::Dense&>(model.network.layer(model.network.size() - 1));
  // netlens's (in, out) from torch's [out, in]: (in 1, out 2) is torch's [2][1], value index 20 + 2·32 + 1.
  const float first_linear = 1.0f + 0.001f * 20;
  EXPECT_NEAR(dense.weight().values()[1 * 10 + 2], first_linear + 0.001f * (2 * 32 + 1), 1e-4);
  EXPECT_NEAR(dense.bias().values()[9], first_linear + 0.001f * (320 + 9), 1e-4);

  const auto timeline = train::ImageTimeline::load(dir / "model.checkpoints", model.network.param_count());
  ASSERT_EQ(timeline.checkpoints().size(), 2u);
  EXPECT_EQ(timeline.checkpoints()[1].steps, 10);
  EXPECT_EQ(timeline.checkpoints()[1].examples, 640);
  EXPECT_NEAR(timeline.checkpoints()[0].weights[0], 0.0f, 1e-3);
  EXPECT_NEAR(timeline.checkpoints()[1].weights[0], 1.0f, 1e-3);  // float16, as every checkpoint
  EXPECT_DOUBLE_EQ(timeline.checkpoints()[1].test_loss, 1.5);

  // The Runs page's listing: Digits and Lurk show it, and nothing is wrong with it.
  const auto list = train::list_runs(dir.parent_path());
  const auto entry = std::find_if(list.begin(), list.end(), [&](const auto& r) { return r.name == dir.filename().string(); });
  ASSERT_NE(entry, list.end());
  EXPECT_EQ(entry->problem, "");
  EXPECT_EQ(entry->views, (std::vector<std::string>{"digits", "lurk"}));
  EXPECT_EQ(entry->ingest["step"], 10);
}

TEST(ImageRun, ARestartedServerGoesOnWithTheSameTimeline) {
  const fs::path dir = fresh_image_dir("restart");
  apply_all(*started(dir, "img"), image_snapshot("img", 2, 0, 0.0f));
  IngestRun reopened(dir, nullptr);  // a new server: the directory only
  apply_all(reopened, image_snapshot("img", 3, 10, 1.0f));
  EXPECT_EQ(reopened.manifest()["ingest"]["image_checkpoints"], 2);
  const auto timeline = train::ImageTimeline::load(dir / "model.checkpoints", 350);
  ASSERT_EQ(timeline.checkpoints().size(), 2u);
  EXPECT_EQ(timeline.checkpoints()[0].steps, 0);
  EXPECT_EQ(timeline.checkpoints()[1].steps, 10);
}

TEST(ImageRun, ASnapshotThatDoesNotFitIsNamedAndKept) {
  const fs::path dir = fresh_image_dir("misfit");
  auto run = started(dir, "img");
  apply_all(*run, image_snapshot("img", 2, 0, 0.0f, 31));
  ASSERT_TRUE(run->warning());
  EXPECT_NE(run->warning()->find("'4.weight' is [10, 31]"), std::string::npos) << *run->warning();
  EXPECT_EQ(run->manifest()["ingest"]["records"], 3);
  EXPECT_EQ(run->manifest()["ingest"]["image_checkpoints"], 0);
}

TEST(ImageRun, ANetworkTooLargeToKeepIsRefusedBeforeItIsBuilt) {
  const fs::path dir = fresh_image_dir("large");
  const std::string h = hello("big", 0);
  IngestRun run(dir, &parse_records(h)[0].meta);
  json layers = cnn_layers();
  layers[4]["out"] = {1, 40000};  // 32 × 40,000 weights
  layers[4]["params"]["weight"] = {40000, 32};
  apply_all(run, h + encode_record(static_cast<std::uint8_t>(Kind::Model), {{"run", "big"}, {"seq", 1}, {"layers", layers}}));
  ASSERT_TRUE(run.warning());
  EXPECT_NE(run.warning()->find("1320020 weights; an ingested image model has at most 1048576"), std::string::npos) << *run.warning();
  EXPECT_FALSE(fs::exists(dir / "model.nlmodel"));
}

TEST(ImageRun, ALongRunKeepsItsWholeSpanWithinTheCheckpointLimit) {
  const fs::path dir = fresh_image_dir("long");
  auto run = started(dir, "img");
  std::string body;
  for (long i = 0; i < 100; ++i) body += image_snapshot("img", 2 + i, i * 10, 0.0f);
  apply_all(*run, body);
  const auto timeline = train::ImageTimeline::load(dir / "model.checkpoints", 350);
  ASSERT_LE(timeline.checkpoints().size(), train::kMaxImageCheckpoints);
  EXPECT_GT(timeline.checkpoints().size(), train::kMaxImageCheckpoints / 2);
  EXPECT_EQ(timeline.checkpoints().front().steps, 0);
  EXPECT_EQ(timeline.checkpoints().back().steps, 990);
}

}  // namespace
