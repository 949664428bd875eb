#include "train/run_spec.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/json.hpp"
#include "support/scratch.hpp"

using namespace netlens;
using nlohmann::json;
using train::parse_run_spec;

namespace {
// The message of the Error that parsing `j` throws, or "" when it parses.
std::string error_of(const json& j) {
  try {
    parse_run_spec(j);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(RunSpec, EmptyObjectGivesThePlaygroundDefaults) {
  const auto s = parse_run_spec(json::object());
  EXPECT_EQ(s.dataset, "circle");
  EXPECT_EQ(s.hidden_layers.size(), 2u);
  EXPECT_EQ(s.hidden_layers[0].units, 4);
  EXPECT_EQ(s.batch_size, 10);
  EXPECT_DOUBLE_EQ(s.learning_rate, 0.03);
}

TEST(RunSpec, ReadsEveryField) {
  const auto s = parse_run_spec(json::parse(R"({
    "dataset": "spiral", "noise": 10, "train_ratio": 0.7, "num_samples": 300,
    "features": ["x1", "x2", "sin_x1"], "activation": "relu",
    "hidden_layers": [{"units": 8}, {"units": 3, "activation": "sigmoid"}],
    "problem": "classification", "loss": "binary_cross_entropy", "optimizer": "adam",
    "learning_rate": 0.001, "momentum": 0.5, "regularization": "l2", "regularization_rate": 0.01,
    "batch_size": 16, "seed": 99})"));
  EXPECT_EQ(s.dataset, "spiral");
  EXPECT_EQ(s.features.size(), 3u);
  EXPECT_EQ(s.hidden_layers[0].activation, nn::Activation::ReLU);
  EXPECT_EQ(s.hidden_layers[1].activation, nn::Activation::Sigmoid);
  EXPECT_EQ(s.loss, nn::Loss::BinaryCrossEntropy);
  EXPECT_EQ(s.optimizer, nn::OptimizerKind::Adam);
  EXPECT_EQ(s.regularization, nn::Regularization::L2);
  EXPECT_EQ(s.batch_size, 16);
  EXPECT_EQ(s.seed, 99u);
}

TEST(RunSpec, JsonRoundTrip) {
  const auto s = parse_run_spec(json::parse(R"({"dataset":"xor","hidden_layers":[{"units":6,"activation":"relu"}]})"));
  EXPECT_EQ(train::to_json(parse_run_spec(train::to_json(s))), train::to_json(s));
}

TEST(RunSpec, InitNamesTheInitialWeightsRuleAndIsWrittenBack) {
  EXPECT_EQ(parse_run_spec(json::object()).init, nn::WeightInit::Xavier);
  const auto s = parse_run_spec(json{{"init", "playground"}});
  EXPECT_EQ(s.init, nn::WeightInit::Playground);
  EXPECT_EQ(train::to_json(s)["init"], "playground");
  EXPECT_EQ(parse_run_spec(train::to_json(s)).init, nn::WeightInit::Playground);
  EXPECT_EQ(parse_run_spec(json{{"init", "he"}}).init, nn::WeightInit::He);
  try {
    parse_run_spec(json{{"init", "glorot"}});
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "init: unknown init 'glorot' (known: xavier, playground, he)");
  }
}

TEST(RunSpec, RegressionSetSwitchesTheProblemAndSampleCount) {
  const auto s = parse_run_spec(json{{"dataset", "plane"}});
  EXPECT_EQ(s.problem, data::Problem::Regression);
  EXPECT_EQ(s.num_samples, 1200);
}

TEST(RunSpec, ASevenClassSetTrainsWithSoftmaxCrossEntropy) {
  const auto s = parse_run_spec(json{{"dataset", "blobs7"}});
  EXPECT_EQ(s.loss, nn::Loss::SoftmaxCrossEntropy);
  EXPECT_EQ(train::num_classes(s), 7);
  EXPECT_EQ(train::num_classes(parse_run_spec(json::object())), 2);
  EXPECT_EQ(train::num_classes(parse_run_spec(json{{"dataset", "plane"}})), 0);
  EXPECT_EQ(error_of(json{{"dataset", "blobs7"}, {"loss", "squared_error"}}),
            "loss: data set 'blobs7' has 7 classes and needs softmax_cross_entropy, got squared_error");
  EXPECT_EQ(parse_run_spec(train::to_json(s)).loss, nn::Loss::SoftmaxCrossEntropy);
}

TEST(RunSpec, BaseSpecKeepsFieldsNotGiven) {
  const auto base = parse_run_spec(json{{"dataset", "xor"}, {"seed", 5}});
  const auto s = parse_run_spec(json{{"learning_rate", 0.1}}, base);
  EXPECT_EQ(s.dataset, "xor");
  EXPECT_EQ(s.seed, 5u);
  EXPECT_DOUBLE_EQ(s.learning_rate, 0.1);
}

// Every bad value names the field's path and the reason.
TEST(RunSpec, BadValuesNameTheFieldAndTheReason) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"hidden_layers":[{"units":0}]})", "hidden_layers[0].units: must be an integer 1..1024, got 0"},
      {R"({"hidden_layers":[{"units":4},{"units":100000}]})", "hidden_layers[1].units: must be an integer 1..1024, got 100000"},
      {R"({"hidden_layers":[{"units":2.5}]})", "hidden_layers[0].units: must be an integer 1..1024, got 2.5"},
      {R"({"hidden_layers":[{"units":4,"width":3}]})", "hidden_layers[0].width: unknown key (known: units, activation)"},
      {R"({"hidden_layers":[{}]})", "hidden_layers[0].units: is missing"},
      {R"({"hidden_layers":[{"units":4,"activation":"relu6"}]})",
       "hidden_layers[0].activation: unknown activation 'relu6' (known: linear, relu, leaky_relu, tanh, sigmoid, elu, "
       "softplus, silu, gelu, mish, sine)"},
      {R"({"activation":"cube"})", "activation: unknown activation 'cube'"},
      {R"({"learning_rate":-0.1})", "learning_rate: must be a number 0..10, got -0.1"},
      {R"({"learning_rate":0})", "learning_rate: must be greater than 0"},
      {R"({"learning_rate":"fast"})", "learning_rate: must be a number 0..10, got a string"},
      {R"({"noise":51})", "noise: must be a number 0..50, got 51"},
      {R"({"train_ratio":1})", "train_ratio: must be a number 0.1..0.9, got 1"},
      {R"({"batch_size":0})", "batch_size: must be an integer 1..1024, got 0"},
      {R"({"batch_size":300})", "batch_size: must be at most the number of training points (250), got 300"},
      {R"({"dataset":"moons"})", "dataset: unknown data set 'moons'"},
      {R"({"features":[]})", "features: must be a non-empty array of feature names"},
      {R"({"features":["x1","x1"]})", "features[1]: feature 'x1' is listed twice"},
      {R"({"features":["x3"]})", "features[0]: unknown feature 'x3'"},
      {R"({"optimizer":"rmsprop"})", "optimizer: unknown optimizer 'rmsprop' (known: sgd, momentum, adam)"},
      {R"({"regularization":"l3"})", "regularization: unknown regularization 'l3'"},
      {R"({"dataset":"plane","problem":"classification"})", "problem: data set 'plane' is a regression set"},
      {R"({"dataset":"plane","loss":"binary_cross_entropy"})", "loss: regression needs squared_error"},
      {R"({"seed":-1})", "seed: must be an integer of at least 0, got -1"},
      {R"({"epochs":10})", "epochs: unknown key (known: activation, dataset, noise, "},
      {R"([1,2])", "spec: must be a JSON object, got an array"},
  };
  for (const auto& [spec, message] : cases) {
    const std::string got = error_of(json::parse(spec));
    EXPECT_EQ(got.rfind(message, 0), 0u) << spec << "\n  got:      " << got << "\n  expected: " << message;
  }
}

TEST(RunSpec, LoadPrefixesErrorsWithTheFile) {
  const std::string path = ::testing::TempDir() + "bad_spec.json";
  std::ofstream(path) << R"({"hidden_layers": [{"units": 0}]})";
  try {
    train::load_run_spec(path);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), path + ": hidden_layers[0].units: must be an integer 1..1024, got 0");
  }
  std::ofstream(path) << "{ not json";
  EXPECT_THROW(train::load_run_spec(path), Error);
  EXPECT_THROW(train::load_run_spec(path + ".missing"), Error);
  std::remove(path.c_str());
}

// The message of the Error that loading `path` throws, or "" when it loads.
std::string load_error_of(const std::string& path) {
  try {
    train::load_run_spec(path);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(RunSpec, LoadRefusesHostileFilesBeforeReadingThem) {
  const std::string dir = test::temp_path("run_spec_hostile") + "/";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "big.json") << std::string(kMaxJsonFileBytes + 1, ' ');
  std::ofstream(dir + "deep.json") << R"({"noise":)" << std::string(100000, '[') << std::string(100000, ']') << "}";
  std::ofstream(dir + "truncated.json") << R"({"dataset": "xo)";
  const std::pair<std::string, std::string> cases[] = {
      {dir + "big.json", "spec file is 1048577 bytes; at most 1048576 are read"},
      {"/dev/zero", "cannot open spec file: not a regular file"},
      {dir, "cannot open spec file: not a regular file"},
      {dir + "missing.json", "cannot open spec file"},
      {dir + "deep.json", "nested more than 32 deep"},
      {dir + "truncated.json", "not JSON: parse error at line 1, column 16"},
  };
  for (const auto& [path, message] : cases) {
    const std::string got = load_error_of(path);
    EXPECT_EQ(got.rfind(path + ": ", 0), 0u) << got;
    EXPECT_NE(got.find(message), std::string::npos) << path << ": " << got;
  }
  std::filesystem::remove_all(dir);
}

TEST(RunSpec, ErrorsQuoteAtMostAShortExcerptOfTheValue) {
  const std::string name(100000, 'x');
  const std::string got = error_of(json{{"dataset", name}});
  EXPECT_LT(got.size(), 200u) << got.substr(0, 300);
  EXPECT_NE(got.find("dataset: unknown data set 'xxxx"), std::string::npos) << got.substr(0, 300);
  EXPECT_NE(got.find("...'"), std::string::npos) << got.substr(0, 300);
  // Cut inside a multi-byte character, the excerpt still ends on a whole one.
  const std::string quoted = error_of(json{{"noise", std::string(100, 'a') + std::string(50, '\xe2')}});
  EXPECT_LT(quoted.size(), 200u);
  EXPECT_EQ(excerpt(std::string(56, 'a') + "\xc3\xa9\xc3\xa9" "b"), std::string(56, 'a') + "...");
}
