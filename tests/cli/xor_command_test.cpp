// `netlens xor --headless`: the acceptance run's figures in JSON Lines, and errors naming the flag.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "support/run_netlens.hpp"

using namespace netlens;
using nlohmann::json;

TEST(XorCommand, HeadlessJsonReachesLossBelowOneHundredthAndASeparatingHiddenSpace) {
  const auto r = test::run_netlens("xor --hidden 2 --refresh 200 --epochs 40000 --headless --json");
  ASSERT_EQ(r.status, 0) << r.err;
  std::istringstream lines(r.out);
  std::vector<json> records;
  for (std::string line; std::getline(lines, line);) records.push_back(json::parse(line));
  ASSERT_EQ(records.size(), 40000u / 200 + 2);  // epoch 0, every refresh, the summary
  EXPECT_EQ(records.front()["epoch"], 0);
  EXPECT_EQ(records[1]["epoch"], 200);
  EXPECT_EQ(records[1]["gradient_norms"].size(), 2u);
  EXPECT_GT(records.front()["loss"].get<double>(), 0.1);
  const json& summary = records.back();
  EXPECT_EQ(summary["type"], "summary");
  EXPECT_EQ(summary["epoch"], 40000);
  EXPECT_LT(summary["loss"].get<double>(), 0.01);
  EXPECT_EQ(summary["separator_accuracy"].get<double>(), 1.0);
  EXPECT_LE(summary["first_epoch_loss_below_0.01"].get<int>(), 40000);
}

TEST(XorCommand, ThreeHiddenUnitsPrintTextPerRefresh) {
  const auto r = test::run_netlens("xor --hidden 3 --refresh 1000 --epochs 3000 --headless");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("epoch   3000  loss "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("separator"), std::string::npos);
}

TEST(XorCommand, BadSettingsExitTwoNamingTheField) {
  auto r = test::run_netlens("xor --hidden 2,x --headless");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--hidden: must be units per hidden layer"), std::string::npos) << r.err;
  r = test::run_netlens("xor --refresh 0 --headless");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("refresh: must be 1..40000, got 0"), std::string::npos) << r.err;
  r = test::run_netlens("xor --dataset blobs7 --headless");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("dataset: must be xor4 or a two-class set"), std::string::npos) << r.err;
}
