// Runs `netlens train --run-dir` and then `netlens render`, and decodes what render wrote with
// independent decoders: ImageMagick's identify and ffprobe.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/run_netlens.hpp"

using namespace netlens::test;

namespace {

namespace fs = std::filesystem;

std::string shell(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  char buf[512];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  pclose(pipe);
  return out;
}

// One seven-class run of 30 epochs per test process, shared by the tests in it.
class RenderCommand : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = netlens::test::temp_path("render");
    fs::remove_all(dir_);
    const Result r = run_netlens("train --spec " + std::string(NETLENS_SOURCE_DIR) +
                                 "/examples/seven_class.json --epochs 30 --run-dir " + dir_ + "/run >/dev/null");
    ASSERT_EQ(r.status, 0) << r.err;
    checkpoints_ = nlohmann::json::parse(std::ifstream(dir_ + "/run/manifest.json"))["checkpoints"].size();
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  static std::string dir_;
  static std::size_t checkpoints_;
};
std::string RenderCommand::dir_;
std::size_t RenderCommand::checkpoints_ = 0;

}  // namespace

TEST_F(RenderCommand, BoundaryGifHasAFramePerCheckpointAndInterval) {
  // 30 epochs of 350 points: 0, 50, ... 8700 examples, and the end (10500): 11 checkpoints.
  ASSERT_EQ(checkpoints_, 11u);
  const std::string out = dir_ + "/seven.gif";
  const Result r = run_netlens("render --run " + dir_ + "/run --mode boundary --interp 3 --size 120 --frame-ms 50 --out " + out);
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string frames = shell("identify -format '%m %w %h %T\\n' " + out);
  std::string expected;
  for (std::size_t i = 0; i < (checkpoints_ - 1) * 3 + 1; ++i) expected += "GIF 120 120 5\n";
  EXPECT_EQ(frames, expected);
  EXPECT_NE(r.err.find("wrote " + out + " (31 frames, 120x120)"), std::string::npos) << r.err;
}

TEST_F(RenderCommand, RegionMp4DecodesWithFfprobe) {
  const std::string out = dir_ + "/seven.mp4";
  const Result r = run_netlens("render --run " + dir_ + "/run --mode region --shading intensity --interp 2 --size 96 "
                               "--frame-ms 40 --out " + out);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(shell("ffprobe -v error -count_frames -select_streams v:0 -show_entries "
                  "stream=codec_name,width,height,nb_read_frames -of csv=p=0 " + out),
            "h264,96,96," + std::to_string((checkpoints_ - 1) * 2 + 1) + "\n");
}

TEST_F(RenderCommand, OneCheckpointAsPng) {
  const std::string out = dir_ + "/map.png";
  const Result r = run_netlens("render --run " + dir_ + "/run --mode region --checkpoint 4 --size 200 --out " + out);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(shell("identify -format '%m %w %h' " + out), "PNG 200 200");
}

TEST_F(RenderCommand, PerUnitGridOverAWideDomainGivesAWideFrame) {
  const std::string out = dir_ + "/extent.png";
  const Result r = run_netlens("render --run " + dir_ + "/run --per-unit 4 --domain -6 6 -3 3 --size 200 --out " + out);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(shell("identify -format '%w %h' " + out), "200 100");
}

TEST_F(RenderCommand, ACorruptSnapshotExitsTwoNamingTheFile) {
  const std::string copy = dir_ + "/damaged";
  fs::copy(dir_ + "/run", copy);
  fs::resize_file(copy + "/checkpoint-00003.bin", 70);
  const Result r = run_netlens("render --run " + copy + " --out " + dir_ + "/never.gif");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find(copy + "/checkpoint-00003.bin: truncated snapshot"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ + "/never.gif"));
}

TEST_F(RenderCommand, BadArgumentsExitTwo) {
  const std::string run = " --run " + dir_ + "/run";
  EXPECT_EQ(run_netlens("render" + run + " --out x.bmp").status, 2);
  EXPECT_EQ(run_netlens("render" + run + " --checkpoint 99 --out " + dir_ + "/x.png").status, 2);
  EXPECT_EQ(run_netlens("render" + run + " --mode contour --out " + dir_ + "/x.gif").status, 2);
  EXPECT_EQ(run_netlens("render --run " + dir_ + "/nowhere --out " + dir_ + "/x.gif").status, 2);
  EXPECT_EQ(run_netlens("render" + run + " --size 101 --out " + dir_ + "/x.mp4").status, 2);
  EXPECT_EQ(run_netlens("render" + run + " --grid 50 --per-unit 3 --out " + dir_ + "/x.png").status, 2);
}

TEST_F(RenderCommand, DrawsAProgressBarOnATerminal) {
  const std::string terminal =
      run_on_terminal({"render", "--run", dir_ + "/run", "--size", "64", "--out", dir_ + "/bar.gif"});
  EXPECT_NE(terminal.find("] 11/11"), std::string::npos) << terminal;
}

TEST(RenderBinary, ACircleRunDrawsInEveryModeAndMethod) {
  const std::string dir = netlens::test::temp_path("render_binary");
  fs::remove_all(dir);
  ASSERT_EQ(run_netlens("train --spec " + std::string(NETLENS_SOURCE_DIR) + "/examples/circle.json --epochs 3 --run-dir " +
                        dir + "/run >/dev/null").status,
            0);
  for (const std::string style : {"--mode boundary --measure margin --colour-map viridis --background light",
                                  "--mode boundary --colour-map gray --interp-method geometric",
                                  "--mode region --shading smooth --interp-method linear",
                                  "--mode region --shading intensity --background light --no-title --no-points"}) {
    const Result r = run_netlens("render --run " + dir + "/run " + style + " --interp 2 --size 64 --out " + dir + "/a.gif");
    ASSERT_EQ(r.status, 0) << style << "\n" << r.err;
    // 0, 50, 120, 250, 500 and 750 examples: six checkpoints, five intervals of two frames.
    EXPECT_EQ(shell("identify -format '%w %h\\n' " + dir + "/a.gif | wc -l"), "11\n") << style;
  }
  fs::remove_all(dir);
}

TEST(RenderOutput, AFolderThatDoesNotExistIsSaidOnce) {
  const Result r = run_netlens("render --run /nonexistent/run --out /nonexistent/dir/x.gif");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "netlens: --out: the folder /nonexistent/dir does not exist\n");
}
