#pragma once
// The Lurk session tests' model: a small CNN trained on the bar images by the real CLI, in a
// models folder of its own.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "support/bar_images.hpp"
#include "support/run_netlens.hpp"

namespace netlens::test {

struct TrainedModel {
  std::filesystem::path models;
  std::string data;
  TrainedModel() {
    data = write_bar_images("lurk_session", 600, 200);
    models = temp_path("lurk_models");
    std::filesystem::remove_all(models);
    std::filesystem::create_directories(models);
    nlohmann::json c = nlohmann::json::parse(std::ifstream(std::string(NETLENS_SOURCE_DIR) + "/examples/mnist_cnn.json"));
    c["epochs"] = 1;
    c["percent_of_train_data_to_use"] = 1.0;
    const std::string config = temp_path("lurk_session.json");
    std::ofstream(config) << c.dump();
    const auto r = run_netlens("train --config " + config + " --data-dir " + data + " --out " +
                                     (models / "bars-cnn.nlmodel").string() + " --json");
    EXPECT_EQ(r.status, 0) << r.err;
  }
};

}  // namespace netlens::test
