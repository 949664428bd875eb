// `netlens infer`: errors for bad model files and arguments (a trained model's predictions are
// checked in train_image_test.cpp, which trains one).
#include <gtest/gtest.h>

#include <fstream>

#include "support/run_netlens.hpp"

using namespace netlens;

TEST(InferCommand, ACorruptModelFileExitsTwoNamingTheFile) {
  const std::string path = test::temp_path("corrupt.nlmodel");
  std::ofstream(path) << "NLMODEL";
  const auto r = test::run_netlens("infer --model " + path + " --index 0");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find(path + ": truncated"), std::string::npos) << r.err;
  std::remove(path.c_str());
}

TEST(InferCommand, NeedsAModelAndOneImage) {
  EXPECT_EQ(test::run_netlens("infer --index 0").status, 2);
  EXPECT_EQ(test::run_netlens("infer --model m.nlmodel").status, 2);
  EXPECT_EQ(test::run_netlens("infer --model m.nlmodel --index 1 --image a.png").status, 2);
  const auto missing = test::run_netlens("infer --model /nonexistent.nlmodel --index 0");
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find("/nonexistent.nlmodel: cannot open model file"), std::string::npos) << missing.err;
}

TEST(InferCommand, ANegativeIndexGetsAShortRangeMessage) {
  const auto r = test::run_netlens("infer --model m.nlmodel --index -1");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--index: must be 0 or more, got -1"), std::string::npos) << r.err;
  EXPECT_LT(r.err.size(), 200u) << r.err;
}
