// `netlens lurk`: the dataset pass written as a cache, read back, recomputed for new weights,
// and its errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cli/lurk_models.hpp"

using namespace netlens;
using nlohmann::json;

namespace {

std::string lurk(const std::string& model, const std::string& out, const std::string& more = "") {
  return "lurk --model " + model + " --data-dir " + test::lurk_bar_dir() + " --out " + out + " --json " + more;
}

}  // namespace

TEST(LurkCommand, WritesTheCacheAndASecondCallReadsIt) {
  const std::string model = test::lurk_model("lurk_cnn", true);
  const std::string out = test::temp_path("lurk_cache");
  std::filesystem::remove_all(out);
  const auto first = test::run_netlens(lurk(model, out, "--top 5"));
  ASSERT_EQ(first.status, 0) << first.err;
  const json s = json::parse(first.out);
  EXPECT_FALSE(s["cached"].get<bool>());
  EXPECT_EQ(s["images"], 400);
  ASSERT_EQ(s["layers"].size(), 4u);  // two conv, two dense
  const json m = json::parse(std::ifstream(out + "/manifest.json"));
  EXPECT_EQ(m["format"], "netlens-lurk");
  const json& conv = m["layers"][0];
  EXPECT_EQ(conv["kind"], "conv");
  EXPECT_EQ(conv["field"]["size"], 3);
  ASSERT_EQ(conv["unit_stats"].size(), 4u);
  const json& top = conv["unit_stats"][0]["top_max"];
  ASSERT_EQ(top.size(), 5u);
  EXPECT_GE(top[0]["score"].get<double>(), top[4]["score"].get<double>());
  EXPECT_EQ(top[0]["box"].size(), 4u);
  EXPECT_EQ(conv["unit_stats"][0]["class_max"].size(), 10u);
  for (const char* atlas : {"top_max", "top_mean", "gradient", "guided"})
    EXPECT_TRUE(std::filesystem::exists(out + "/" + conv["atlases"][atlas].get<std::string>())) << atlas;
  EXPECT_FALSE(std::filesystem::exists(out + "/partial.json"));

  const auto second = test::run_netlens(lurk(model, out, "--top 5"));
  ASSERT_EQ(second.status, 0) << second.err;
  EXPECT_TRUE(json::parse(second.out)["cached"].get<bool>());
  const auto other_top = test::run_netlens(lurk(model, out, "--top 3"));
  EXPECT_FALSE(json::parse(other_top.out)["cached"].get<bool>());
}

TEST(LurkCommand, NewWeightsRecomputeTheCache) {
  const std::string out = test::temp_path("lurk_reweighted");
  std::filesystem::remove_all(out);
  ASSERT_EQ(test::run_netlens(lurk(test::lurk_model("lurk_cnn", true), out)).status, 0);
  const auto other = test::run_netlens(lurk(test::lurk_model("lurk_cnn_seed2", true, 2), out));
  ASSERT_EQ(other.status, 0) << other.err;
  EXPECT_FALSE(json::parse(other.out)["cached"].get<bool>());
}

TEST(LurkCommand, AnMlpGetsItsDenseUnits) {
  const std::string out = test::temp_path("lurk_mlp");
  std::filesystem::remove_all(out);
  const auto r = test::run_netlens(lurk(test::lurk_model("lurk_mlp", false), out, "--split test"));
  ASSERT_EQ(r.status, 0) << r.err;
  const json s = json::parse(r.out);
  EXPECT_EQ(s["images"], 100);
  EXPECT_EQ(s["layers"].size(), 2u);
}

TEST(LurkCommand, ErrorsExitTwoNamingWhatAndWhere) {
  const auto missing = test::run_netlens("lurk --model /nonexistent.nlmodel");
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find("/nonexistent.nlmodel: cannot open model file"), std::string::npos) << missing.err;

  const std::string out = test::temp_path("lurk_corrupt");
  std::filesystem::create_directories(out);
  std::ofstream(out + "/manifest.json") << "{\"format\": \"netlens-lurk\", ";
  const auto corrupt = test::run_netlens(lurk(test::lurk_model("lurk_cnn", true), out));
  EXPECT_EQ(corrupt.status, 2);
  EXPECT_NE(corrupt.err.find(out + "/manifest.json"), std::string::npos) << corrupt.err;
  EXPECT_NE(corrupt.err.find("corrupt Lurk cache"), std::string::npos) << corrupt.err;
  EXPECT_EQ(test::run_netlens(lurk(test::lurk_model("lurk_cnn", true), out, "--recompute")).status, 0);

  EXPECT_EQ(test::run_netlens(lurk(test::lurk_model("lurk_cnn", true), out, "--top 0")).status, 2);
  EXPECT_EQ(test::run_netlens(lurk(test::lurk_model("lurk_cnn", true), out, "--split validation")).status, 2);
  const auto no_data = test::run_netlens("lurk --model " + test::lurk_model("lurk_cnn", true) + " --data-dir /nonexistent --out " + out);
  EXPECT_EQ(no_data.status, 2);
  EXPECT_NE(no_data.err.find("/nonexistent"), std::string::npos) << no_data.err;
}
