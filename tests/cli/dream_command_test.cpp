// `netlens dream`: a class logit's dream with its readout, and the errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

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

TEST(DreamCommand, ASetOfDreamsIsPushedApartAndDrawnSideBySide) {
  const std::string model = test::lurk_model("lurk_cnn", true), png = test::temp_path("dreams.png");
  const std::string args = "dream --model " + model + " --data-dir " + test::lurk_bar_dir() + " --layer 8 --unit 4 --steps 64 --count 3 --json";
  const auto plain = test::run_netlens(args + " --diversity 0");
  const auto diverse = test::run_netlens(args + " --out " + png);
  ASSERT_EQ(diverse.status, 0) << diverse.err;
  const json p = json::parse(plain.out), d = json::parse(diverse.out);
  ASSERT_EQ(d["set"].size(), 3u);
  EXPECT_EQ(d["set"][0]["image"], d["image"]);
  EXPECT_EQ(d["diversity"]["weight"], 0.3f);
  EXPECT_EQ(d["diversity"]["layer"], 1);  // the first conv layer's ReLU
  EXPECT_LT(d["diversity"]["similarity"].get<double>(), p["diversity"]["similarity"].get<double>() - 0.1)
      << p["diversity"].dump() << " vs " << d["diversity"].dump();
  for (const json& one : d["set"]) EXPECT_FALSE(one["flat"].get<bool>());
  std::ifstream file(png, std::ios::binary);  // three 140-px tiles and two 10-px gaps: IHDR's width
  std::string bytes((std::istreambuf_iterator<char>(file)), {});
  ASSERT_GT(bytes.size(), 24u);
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
  EXPECT_EQ(byte(16) << 24 | byte(17) << 16 | byte(18) << 8 | byte(19), 3 * 140 + 2 * 10);
  EXPECT_EQ(test::run_netlens(args + " --count 17").status, 2);
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
