// `netlens dream`: a class logit's dream with its readout, and the errors.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli/lurk_models.hpp"

using namespace netlens;
using nlohmann::json;

TEST(DreamCommand, AClassLogitDreamsAndReportsItsReadout) {
  const std::string model = test::lurk_model("lurk_cnn", true), png = test::temp_path("dream.png");
  const auto r = test::run_netlens("dream --model " + model + " --data-dir " + test::lurk_bar_dir() +
                                   " --layer 8 --unit 4 --steps 64 --json --out " + png);
  ASSERT_EQ(r.status, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["layer"], 8);
  EXPECT_EQ(j["image"].size(), 196u);
  EXPECT_GT(j["value"].get<double>(), j["initial_value"].get<double>());
  EXPECT_FALSE(j["flat"].get<bool>());
  EXPECT_TRUE(j.contains("top1_test_value"));
  EXPECT_TRUE(std::filesystem::exists(png));
  const json conv = json::parse(test::run_netlens("dream --model " + model + " --data-dir " + test::lurk_bar_dir() +
                                                  " --layer 1 --unit 2 --steps 16 --json").out);
  EXPECT_EQ(conv["layer"], 0);  // a ReLU's unit is dreamt before the ReLU
  EXPECT_EQ(conv["position"], json({7, 7}));
}

TEST(DreamCommand, ErrorsExitTwoNamingWhatAndWhere) {
  const std::string model = test::lurk_model("lurk_cnn", true);
  const auto layer = test::run_netlens("dream --model " + model + " --layer 12 --unit 0");
  EXPECT_EQ(layer.status, 2);
  EXPECT_NE(layer.err.find("layer 12: no such layer; the model has 9 (0..8)"), std::string::npos) << layer.err;
  const auto unit = test::run_netlens("dream --model " + model + " --layer 0 --unit 9");
  EXPECT_EQ(unit.status, 2);
  EXPECT_NE(unit.err.find("no unit 9; it has 4 (0..3)"), std::string::npos) << unit.err;
  EXPECT_EQ(test::run_netlens("dream --model " + model + " --unit 0").status, 2);
  EXPECT_EQ(test::run_netlens("dream --model /nonexistent.nlmodel --layer 0 --unit 0").status, 2);
}
