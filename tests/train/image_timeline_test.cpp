#include "train/image_timeline.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "core/float16.hpp"
#include "nn/image_network.hpp"
#include "support/scratch.hpp"

using namespace netlens;
namespace fs = std::filesystem;

namespace {

nn::Network small_network(std::uint64_t seed) {
  return nn::build_image_network(
      nn::parse_image_network({{"input_size", 4},
                               {"layers", {{{"type", "flatten"}}, {{"type", "dense"}, {"out_features", 10}}}}}),
      seed);
}

fs::path temp_dir(const std::string& name) {
  return test::scratch_dir() / ("image_timeline_" + name);
}

}  // namespace

TEST(ImageTimeline, RecordsOnTheDefaultScheduleWithFloat16Weights) {
  nn::Network net = small_network(1);
  train::ImageTimeline t(1000);
  std::vector<long> recorded;
  for (long examples = 0; examples <= 3000; examples += 10)
    if (t.maybe_record(net, examples, examples / 10, static_cast<int>(examples / 1000), 0.5)) recorded.push_back(examples);
  EXPECT_EQ(recorded, (std::vector<long>{0, 50, 120, 250, 500, 1000, 2000}));  // 3,500 is next
  const std::vector<float> exact = train::capture_weights(net);
  const auto& w = t.checkpoints().front().weights;
  ASSERT_EQ(w.size(), exact.size());
  for (std::size_t i = 0; i < w.size(); ++i) EXPECT_EQ(w[i], half_to_float(float_to_half(exact[i])));

  // finish() adds a checkpoint, or replaces one taken at the same point.
  t.finish(net, 3000, 300, 3, 0.5);
  EXPECT_EQ(t.checkpoints().size(), recorded.size() + 1);
  t.finish(net, 3000, 300, 3, 0.25);
  EXPECT_EQ(t.checkpoints().size(), recorded.size() + 1);
  EXPECT_EQ(t.checkpoints().back().test_loss, 0.25);
}

TEST(ImageTimeline, StopsRecordingAtItsCap) {
  nn::Network net = small_network(1);
  train::ImageTimeline t(1);
  for (double examples = 0; examples < 1e12; examples = examples * 1.1 + 1)  // past every point of the schedule
    t.maybe_record(net, static_cast<long>(examples), 0, 0, 0);
  EXPECT_EQ(t.checkpoints().size(), train::kMaxImageCheckpoints - 1) << "one place stays for finish()";
  t.finish(net, 1000000000000, 0, 0, 0);
  EXPECT_EQ(t.checkpoints().size(), train::kMaxImageCheckpoints);
}

TEST(ImageTimeline, SavesAndLoadsExactlyAndRefusesWhatDoesNotFit) {
  nn::Network net = small_network(1);
  train::ImageTimeline t(100);
  t.maybe_record(net, 0, 0, 0, std::nan(""));
  nn::Network later = small_network(2);
  t.maybe_record(later, 50, 5, 0, 0.75);
  const fs::path dir = temp_dir("saved");
  fs::remove_all(dir);
  t.save(dir);
  t.save(dir);  // over an existing timeline
  const auto loaded = train::ImageTimeline::load(dir, net.param_count());
  ASSERT_EQ(loaded.checkpoints().size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(loaded.checkpoints()[i].weights, t.checkpoints()[i].weights);
    EXPECT_EQ(loaded.checkpoints()[i].examples, t.checkpoints()[i].examples);
  }
  EXPECT_TRUE(std::isnan(loaded.checkpoints()[0].test_loss));
  EXPECT_TRUE(train::ImageTimeline::load(temp_dir("missing"), 1).checkpoints().empty());

  try {
    train::ImageTimeline::load(dir, net.param_count() + 1);
    FAIL() << "a timeline of another network was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), (dir / "checkpoint-00000.bin").string() + ": holds " +
                                         std::to_string(net.param_count()) + " weights but the model has " +
                                         std::to_string(net.param_count() + 1));
  }
  fs::resize_file(dir / "checkpoint-00001.bin", 60);
  try {
    train::ImageTimeline::load(dir, net.param_count());
    FAIL() << "a truncated snapshot was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind((dir / "checkpoint-00001.bin").string() + ": truncated snapshot", 0), 0u) << e.what();
  }
  fs::remove_all(dir);
}
