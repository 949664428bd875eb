#include "export/video.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "core/error.hpp"
#include "support/scratch.hpp"

using namespace netlens;

namespace {

std::string run_command(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  char buf[256];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  pclose(pipe);
  return out;
}

}  // namespace

TEST(Video, FfprobeCountsTheFramesAndSize) {
  const std::string path = test::temp_path("video_test.mp4");
  const exports::Palette palette{{0, 0, 0}, {250, 250, 250}};
  {
    exports::VideoWriter video(path, 64, 48, 40);
    for (int f = 0; f < 6; ++f) {
      exports::IndexedImage image(64, 48);
      for (int x = 0; x < 64; ++x) image.at(x, f * 8) = 1;  // a line moving down
      video.add(image, palette);
    }
    video.finish();
  }
  EXPECT_EQ(run_command("ffprobe -v error -count_frames -select_streams v:0 -show_entries "
                "stream=codec_name,width,height,nb_read_frames,avg_frame_rate -of csv=p=0 " + path),
            "h264,64,48,25/1,6\n");
  std::filesystem::remove(path);
}

TEST(Video, OddSidesAreRefusedAndAnAbandonedVideoLeavesNoFiles) {
  const std::string path = test::temp_path("video_test_odd.mp4");
  EXPECT_THROW(exports::VideoWriter(path, 63, 48, 40), Error);
  {
    exports::VideoWriter video(path, 64, 48, 40);
    video.add(exports::IndexedImage(64, 48), {{0, 0, 0}});
  }
  EXPECT_FALSE(std::filesystem::exists(path));
  for (const auto& entry : std::filesystem::directory_iterator(test::scratch_dir()))
    EXPECT_EQ(entry.path().filename().string().find("video_test_odd"), std::string::npos);
}
