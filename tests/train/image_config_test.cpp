#include "train/image_config.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "core/error.hpp"
#include "support/scratch.hpp"

using namespace netlens;
using nlohmann::json;

namespace {
std::string example(const std::string& name) { return std::string(NETLENS_SOURCE_DIR) + "/examples/" + name; }

std::string refusal(const json& j) {
  try {
    train::parse_image_config(j);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(ImageConfig, ReadsTheClassicConfigsKeys) {
  const train::ImageConfig c = train::load_image_config(example("mnist_cnn.json"));
  EXPECT_EQ(c.epochs, 10);
  EXPECT_EQ(c.patience, 2);
  EXPECT_EQ(c.batch_size, 32);
  EXPECT_DOUBLE_EQ(c.validation_subset_ratio, 0.5);
  EXPECT_DOUBLE_EQ(c.percent_of_train_data_to_use, 0.2);
  EXPECT_DOUBLE_EQ(c.percent_train_data_to_use_for_validation, 0.2);
  EXPECT_EQ(c.network.num_classes, 10);
  EXPECT_EQ(c.network.input_size, 14);
  EXPECT_EQ(c.network.in_channels, 1);
  EXPECT_EQ(c.model_output_filename, "mnist_cnn");
  EXPECT_EQ(c.network.layers.size(), 11u);
  EXPECT_EQ(c.optimizer, nn::OptimizerKind::Adam);
}

TEST(ImageConfig, EveryExampleIsValid) {
  for (const char* name : {"mnist_cnn.json", "mnist_cnn_28.json", "mnist_mlp.json", "fashion_mlp.json"})
    EXPECT_NO_THROW(train::load_image_config(example(name))) << name;
}

TEST(ImageConfig, OurOwnKeysAndTheirChecks) {
  const json layers = json::array({{{"type", "flatten"}}, {{"type", "dense"}, {"out_features", 10}}});
  const auto c = train::parse_image_config({{"layers", layers}, {"optimizer", "sgd"}, {"learning_rate", 0.1}, {"learning_rate_decay", 0.5}, {"seed", 7}});
  EXPECT_EQ(c.optimizer, nn::OptimizerKind::SGD);
  EXPECT_DOUBLE_EQ(c.learning_rate, 0.1);
  EXPECT_DOUBLE_EQ(c.learning_rate_decay, 0.5);
  EXPECT_EQ(c.seed, 7u);
  EXPECT_EQ(refusal({{"layers", layers}, {"epoch", 3}}).rfind("epoch: unknown key (known: epochs, patience, batch_size, ", 0), 0u);
  EXPECT_EQ(refusal({{"layers", layers}, {"percent_of_train_data_to_use", 20}}),
            "percent_of_train_data_to_use: must be a number 0..1, got 20");
  EXPECT_EQ(refusal({{"layers", layers}, {"percent_of_train_data_to_use", 0}}),
            "percent_of_train_data_to_use: must be a fraction 0 < x <= 1, got 0");
  EXPECT_EQ(refusal({{"layers", layers}, {"batch_size", 0}}), "batch_size: must be an integer 1..4096, got 0");
  EXPECT_EQ(refusal({{"layers", json::array({{{"type", "flatten"}}, {{"type", "dense"}, {"out_features", 1}}})}, {"num_classes", 1}}),
            "num_classes: must be an integer 2..65536 to train, got 1");
  EXPECT_EQ(refusal({{"layers", layers}, {"input_features", 196}}).rfind("input_features: unknown key", 0), 0u);
  EXPECT_EQ(refusal({{"layers", layers}, {"learning_rate", -1}}), "learning_rate: must be a number 0..10, got -1");
}

TEST(ImageConfig, AFileWithABadLayerIsRefusedNamingTheFileAndTheLayer) {
  const std::string path = test::temp_path("bad_layers.json");
  json c = json::parse(std::ifstream(example("mnist_cnn.json")));
  c["layers"].erase(6);  // the flatten
  std::ofstream(path) << c.dump();
  try {
    train::load_image_config(path);
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), path + ": layers[6] dense: needs a flatten before it");
  }
  std::ofstream(path) << "{\"epochs\": ";
  EXPECT_THROW(train::load_image_config(path), Error);
  std::remove(path.c_str());
}
