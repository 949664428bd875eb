#include "train/image_training.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "support/bar_images.hpp"

using namespace netlens;
using nlohmann::json;

namespace {
train::ImageConfig bars_config(const json& layers, int epochs, int patience) {
  return train::parse_image_config({{"epochs", epochs}, {"patience", patience}, {"batch_size", 16},
                                    {"percent_of_train_data_to_use", 1.0}, {"percent_train_data_to_use_for_validation", 0.2},
                                    {"validation_subset_ratio", 1.0}, {"input_size", 14}, {"layers", layers}});
}

json cnn() {
  return json::array({{{"type", "conv"}, {"out_channels", 4}, {"filter_size", 3}, {"padding", 1}}, {{"type", "relu"}},
                      {{"type", "maxpool"}}, {{"type", "flatten"}}, {{"type", "dropout"}, {"rate", 0.2}},
                      {{"type", "dense"}, {"out_features", 10}}, {{"type", "softmax"}}});
}
}  // namespace

TEST(ImageTraining, ACnnLearnsWhereTheBarIs) {
  const std::string dir = test::write_bar_images("cnn", 1500, 300);
  const auto config = bars_config(cnn(), 4, 4);
  const auto data = train::load_image_data(config, dir);
  train::ImageTraining run(config, data);
  EXPECT_EQ(run.steps_per_epoch(), 75);  // 1200 training images, 16 a batch
  const train::Evaluation before = run.evaluate_test();
  while (!run.should_stop()) {
    for (int s = 0; s < run.steps_per_epoch(); ++s) run.step();
    run.end_epoch();
  }
  EXPECT_EQ(run.epoch(), 4);
  run.restore_best();
  const train::Evaluation after = run.evaluate_test();
  EXPECT_LT(before.accuracy, 0.3);
  EXPECT_GT(after.accuracy, 0.9) << "chance is 0.1";
  EXPECT_LT(after.loss, before.loss);
  std::filesystem::remove_all(dir);
}

TEST(ImageTraining, StopsEarlyWhenTheValidationLossStopsImproving) {
  const std::string dir = test::write_bar_images("patience", 400, 50);
  // 40 images and a wide layer: it soon overfits, and the validation loss turns up.
  json c{{"epochs", 50}, {"patience", 2}, {"batch_size", 8}, {"percent_of_train_data_to_use", 0.1}, {"learning_rate", 0.01},
         {"percent_train_data_to_use_for_validation", 0.5}, {"input_size", 28},
         {"layers", json::array({{{"type", "flatten"}}, {{"type", "dense"}, {"out_features", 512}}, {{"type", "relu"}},
                                 {{"type", "dense"}, {"out_features", 10}}})}};
  const auto config = train::parse_image_config(c);
  const auto data = train::load_image_data(config, dir);
  train::ImageTraining run(config, data);
  std::vector<train::EpochReport> reports;
  while (!run.should_stop()) {
    for (int s = 0; s < run.steps_per_epoch(); ++s) run.step();
    reports.push_back(run.end_epoch());
  }
  ASSERT_LT(run.epoch(), 50);
  ASSERT_GE(reports.size(), 3u);
  // The last `patience` epochs did not improve; the one before them was the best.
  EXPECT_FALSE(reports[reports.size() - 1].improved);
  EXPECT_FALSE(reports[reports.size() - 2].improved);
  EXPECT_TRUE(reports[reports.size() - 3].improved);
  std::filesystem::remove_all(dir);
}

TEST(ImageTraining, ModelHeaderRecordsConfigDataAndMetrics) {
  const auto config = bars_config(cnn(), 1, 1);
  train::Evaluation validation;
  validation.loss = 0.25;
  validation.accuracy = 0.9;
  const json h = train::model_header(config, "fashion-mnist", 3, validation);
  EXPECT_EQ(h["config"], config.json);
  EXPECT_EQ(h["classes"][0], "T-shirt/top");
  EXPECT_EQ(h["epochs"], 3);
  EXPECT_DOUBLE_EQ(h["test_accuracy"].get<double>(), 0.9);
}
