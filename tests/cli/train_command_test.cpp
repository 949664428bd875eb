// Runs the real `netlens train` binary (NETLENS_BIN, set by CTest) as a user would.
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "support/run_netlens.hpp"

using namespace netlens::test;

namespace {

std::string write_spec(const std::string& name, const std::string& text) {
  const std::string path = netlens::test::temp_path(name);
  std::ofstream(path) << text;
  return path;
}

std::string circle_spec() { return std::string(NETLENS_SOURCE_DIR) + "/examples/circle.json"; }

}  // namespace

TEST(TrainCommand, CircleReachesLowTestLossAndIsReproducible) {
  const Result a = run_netlens("train --spec " + circle_spec() + " --epochs 300 --json");
  ASSERT_EQ(a.status, 0) << a.err;
  std::istringstream lines(a.out);
  std::string line, last;
  int count = 0;
  while (std::getline(lines, line)) {
    const auto j = nlohmann::json::parse(line);
    EXPECT_EQ(j["epoch"], ++count);
    for (const char* key : {"train_loss", "test_loss", "train_accuracy", "test_accuracy"})
      EXPECT_TRUE(j.contains(key)) << key;
    last = line;
  }
  EXPECT_EQ(count, 300);
  EXPECT_LE(nlohmann::json::parse(last)["test_loss"].get<double>(), 0.02) << last;

  const Result b = run_netlens("train --spec " + circle_spec() + " --epochs 300 --json");
  EXPECT_EQ(a.out, b.out);
}

TEST(TrainCommand, TextOutputHasOneLinePerEpoch) {
  const Result r = run_netlens("train --spec " + circle_spec() + " --epochs 3");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("epoch     3  train loss"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("test acc"), std::string::npos);
}

TEST(TrainCommand, DrawsAProgressBarOnlyOnATerminal) {
  const std::string terminal = run_on_terminal({"train", "--spec", circle_spec(), "--epochs", "20"});
  EXPECT_NE(terminal.find("[##############################] 20/20"), std::string::npos) << terminal;
  const Result piped = run_netlens("train --spec " + circle_spec() + " --epochs 20");
  EXPECT_EQ(piped.err.find('#'), std::string::npos) << piped.err;
}

TEST(TrainCommand, ZeroUnitsExitsTwoNamingTheField) {
  const auto path = write_spec("units0.json", R"({"hidden_layers": [{"units": 4}, {"units": 0}]})");
  const Result r = run_netlens("train --spec " + path + " --epochs 5");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("hidden_layers[1].units: must be an integer 1..1024, got 0"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(TrainCommand, BadFilesAndArgumentsExitTwo) {
  EXPECT_EQ(run_netlens("train --spec /nonexistent/spec.json").status, 2);
  EXPECT_EQ(run_netlens("train --spec " + write_spec("broken.json", "{\"dataset\": ")).status, 2);
  EXPECT_EQ(run_netlens("train --spec " + circle_spec() + " --epochs 0").status, 2);
  EXPECT_EQ(run_netlens("train").status, 2);
  EXPECT_EQ(run_netlens("fly").status, 2);
}

TEST(TrainCommand, DivergenceStopsWithAClearMessage) {
  // Regression on the plane with learning rate 10: every step overshoots further.
  const auto path = write_spec("diverge.json", R"({"dataset": "plane", "learning_rate": 10})");
  const Result r = run_netlens("train --spec " + path + " --epochs 2000 --json");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("diverged at epoch"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("lower learning_rate"), std::string::npos);
}

TEST(TrainCommand, RunDirRecordsTheDefaultSchedule) {
  const std::string dir = netlens::test::temp_path("train_run");
  std::filesystem::remove_all(dir);
  const Result r = run_netlens("train --spec " + circle_spec() + " --epochs 20 --run-dir " + dir);
  ASSERT_EQ(r.status, 0) << r.err;
  const auto manifest = nlohmann::json::parse(std::ifstream(dir + "/manifest.json"));
  std::vector<long> examples;
  for (const auto& c : manifest["checkpoints"]) {
    examples.push_back(c["examples"].get<long>());
    EXPECT_TRUE(std::filesystem::exists(dir + "/" + c["file"].get<std::string>()));
  }
  EXPECT_EQ(examples, (std::vector<long>{0, 50, 120, 250, 500, 1000, 2000, 3500, 5000}));
  EXPECT_EQ(manifest["schedule"]["kind"], "default");
  EXPECT_EQ(manifest["spec"]["dataset"], "circle");
  // A second run into the same directory is refused.
  const Result again = run_netlens("train --spec " + circle_spec() + " --epochs 2 --run-dir " + dir);
  EXPECT_EQ(again.status, 2);
  EXPECT_NE(again.err.find("already holds a run"), std::string::npos) << again.err;
  std::filesystem::remove_all(dir);
}

TEST(TrainCommand, EveryNEpochsAndBoth) {
  const std::string dir = netlens::test::temp_path("train_every");
  std::filesystem::remove_all(dir);
  ASSERT_EQ(run_netlens("train --spec " + circle_spec() + " --epochs 10 --schedule epochs --every-epochs 4 --run-dir " +
                        dir + "/a").status,
            0);
  const auto a = nlohmann::json::parse(std::ifstream(dir + "/a/manifest.json"));
  std::vector<int> epochs;
  for (const auto& c : a["checkpoints"]) epochs.push_back(c["epoch"].get<int>());
  EXPECT_EQ(epochs, (std::vector<int>{0, 4, 8, 10}));
  ASSERT_EQ(run_netlens("train --spec " + circle_spec() + " --epochs 4 --schedule both --every-epochs 1 --run-dir " +
                        dir + "/b").status,
            0);
  // 0, 50, 120, then 250, 500 (both schedules), 750 and 1000.
  EXPECT_EQ(nlohmann::json::parse(std::ifstream(dir + "/b/manifest.json"))["checkpoints"].size(), 7u);
  EXPECT_EQ(run_netlens("train --spec " + circle_spec() + " --schedule epochs --run-dir " + dir + "/c").status, 2);
  EXPECT_EQ(run_netlens("train --spec " + circle_spec() + " --every-epochs 3 --run-dir " + dir + "/d").status, 2);
  EXPECT_EQ(run_netlens("train --spec " + circle_spec() + " --schedule both --every-epochs 3").status, 2);
  std::filesystem::remove_all(dir);
}

// The issue's budget: the Playground's default network over 10,000 epochs stays under 5 MB.
TEST(TrainCommand, TenThousandEpochsKeepTheRunDirectorySmall) {
  const std::string dir = netlens::test::temp_path("train_long");
  std::filesystem::remove_all(dir);
  const Result r = run_netlens("train --spec " + circle_spec() + " --epochs 10000 --json --run-dir " + dir + " >/dev/null");
  ASSERT_EQ(r.status, 0) << r.err;
  std::uintmax_t bytes = 0;
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    bytes += entry.file_size();
    ++files;
  }
  EXPECT_EQ(files, 35 + 1);  // 35 snapshots and the manifest
  EXPECT_LT(bytes, 5u * 1024 * 1024);
  std::filesystem::remove_all(dir);
}

TEST(TrainCommand, AWordForANumberAnUnknownOptionAndAnUnknownCommandAreExplained) {
  const Result word = run_netlens("train --spec " + circle_spec() + " --epochs abc");
  EXPECT_EQ(word.status, 2);
  EXPECT_NE(word.err.find("--epochs: is not a number: abc"), std::string::npos) << word.err;
  const Result zero = run_netlens("train --spec " + circle_spec() + " --epochs 0");
  EXPECT_NE(zero.err.find("--epochs: must be 1..10000000, got 0"), std::string::npos) << zero.err;
  const Result near = run_netlens("train --spec " + circle_spec() + " --epoch 5");
  EXPECT_EQ(near.status, 2);
  EXPECT_NE(near.err.find("unknown option --epoch: did you mean --epochs?"), std::string::npos) << near.err;
  const Result command = run_netlens("trian --spec " + circle_spec());
  EXPECT_EQ(command.status, 2);
  EXPECT_NE(command.err.find("unknown command 'trian' (commands: train, render, serve, bench, infer, xor, lurk, explain, dream, import, export)"),
            std::string::npos)
      << command.err;
}
