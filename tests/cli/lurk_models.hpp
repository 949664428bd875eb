#pragma once
// Small models for the Lurk command tests, trained once per test binary by the real
// `netlens train` on generated bar images (support/bar_images.hpp).
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "support/bar_images.hpp"
#include "support/run_netlens.hpp"

namespace netlens::test {

inline const std::string& lurk_bar_dir() {
  static const std::string dir = write_bar_images("lurk", 400, 100);
  return dir;
}

// A 14-px CNN (conv, ReLU, pool, conv, ReLU, flatten, dense, ReLU, dense) or an MLP, trained
// one epoch with `seed`.
inline std::string lurk_model(const std::string& name, bool conv, int seed = 1) {
  nlohmann::json layers = conv ? nlohmann::json::parse(R"([
      {"type": "conv", "out_channels": 4, "filter_size": 3, "stride": 1, "padding": 1}, {"type": "relu"},
      {"type": "maxpool", "filter_size": 2, "stride": 2},
      {"type": "conv", "out_channels": 6, "filter_size": 3, "stride": 1, "padding": 1}, {"type": "relu"},
      {"type": "flatten"}, {"type": "dense", "out_features": 16}, {"type": "relu"},
      {"type": "dense", "out_features": 10}, {"type": "softmax"}])")
                               : nlohmann::json::parse(R"([{"type": "flatten"}, {"type": "dense", "out_features": 16},
      {"type": "relu"}, {"type": "dense", "out_features": 10}, {"type": "softmax"}])");
  const nlohmann::json config{{"epochs", 1}, {"patience", 1}, {"batch_size", 16}, {"validation_subset_ratio", 1.0},
                              {"percent_of_train_data_to_use", 1.0}, {"percent_train_data_to_use_for_validation", 0.1},
                              {"num_classes", 10}, {"input_size", 14}, {"in_channels", 1}, {"seed", seed},
                              {"model_output_filename", name}, {"layers", layers}};
  const std::string config_path = temp_path(name + ".json"), model = temp_path(name + ".nlmodel");
  if (std::filesystem::exists(model)) return model;
  std::ofstream(config_path) << config.dump();
  const auto r = run_netlens("train --config " + config_path + " --data-dir " + lurk_bar_dir() + " --out " + model + " --json");
  EXPECT_EQ(r.status, 0) << r.err;
  return model;
}

}  // namespace netlens::test
