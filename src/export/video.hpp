#pragma once
// MP4 videos through Debian's `ffmpeg` program: raw RGB frames are piped to
//   ffmpeg -f rawvideo -pix_fmt rgb24 -s WxH -framerate 1000/MS -i - -c:v libx264 -pix_fmt yuv420p
// which writes a temporary file beside the target; finish() waits for it and moves the bytes
// into place atomically. yuv420p needs an even width and height.
#include <sys/types.h>

#include <filesystem>

#include "export/image.hpp"

namespace netlens::exports {

class VideoWriter {
 public:
  // Throws Error when a side is odd or ffmpeg cannot be started.
  VideoWriter(std::filesystem::path path, int width, int height, int frame_ms);
  ~VideoWriter();  // an unfinished video is abandoned: ffmpeg stopped, temporary file removed
  VideoWriter(const VideoWriter&) = delete;
  VideoWriter& operator=(const VideoWriter&) = delete;

  void add(const IndexedImage& frame, const Palette& palette);
  void finish();  // throws Error("PATH: ...") when ffmpeg fails

 private:
  void stop();  // closes the pipe and waits; returns when ffmpeg has exited

  std::filesystem::path path_, temp_;
  int width_, height_;
  int pipe_ = -1;
  pid_t pid_ = -1;
  int status_ = 0;
};

}  // namespace netlens::exports
