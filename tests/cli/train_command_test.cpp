// Runs the real `netlens train` binary (NETLENS_BIN, set by CTest) as a user would.
#include <gtest/gtest.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

namespace {

struct Result {
  int status;
  std::string out, err;
};

Result run_netlens(const std::string& args) {
  // One file per process and call: ctest runs these tests in parallel processes.
  static int calls = 0;
  const std::string err_path =
      ::testing::TempDir() + "netlens_stderr_" + std::to_string(getpid()) + "_" + std::to_string(++calls) + ".txt";
  const std::string cmd = std::string(NETLENS_BIN) + " " + args + " 2>" + err_path;
  Result r;
  FILE* pipe = popen(cmd.c_str(), "r");
  std::array<char, 4096> buf;
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), pipe)) r.out.append(buf.data(), n);
  r.status = WEXITSTATUS(pclose(pipe));
  std::stringstream ss;
  ss << std::ifstream(err_path).rdbuf();
  r.err = ss.str();
  std::remove(err_path.c_str());
  return r;
}

// Runs netlens on a pseudo-terminal, as in a user's shell; returns everything it drew there.
std::string run_on_terminal(const std::vector<std::string>& args) {
  int master = -1;
  const pid_t pid = forkpty(&master, nullptr, nullptr, nullptr);
  if (pid == 0) {
    std::vector<char*> argv{const_cast<char*>(NETLENS_BIN)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(NETLENS_BIN, argv.data());
    _exit(127);
  }
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = read(master, buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  waitpid(pid, nullptr, 0);
  close(master);
  return out;
}

std::string write_spec(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + std::to_string(getpid()) + "_" + name;
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
  EXPECT_NE(r.err.find("hidden_layers[1].units: must be 1..1024, got 0"), std::string::npos) << r.err;
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
