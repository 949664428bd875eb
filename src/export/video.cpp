#include "export/video.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/atomic_file.hpp"
#include "core/error.hpp"

extern char** environ;

namespace netlens::exports {

VideoWriter::VideoWriter(std::filesystem::path path, int width, int height, int frame_ms)
    : path_(std::move(path)), width_(width), height_(height) {
  if (width % 2 || height % 2)
    throw Error(path_.string(), "MP4 (yuv420p) needs an even width and height, got " + std::to_string(width) + "x" +
                                    std::to_string(height));
  temp_ = path_;
  temp_ += ".tmp-" + std::to_string(getpid()) + ".mp4";
  const std::vector<std::string> args{
      "ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s",
      std::to_string(width) + "x" + std::to_string(height), "-framerate", "1000/" + std::to_string(frame_ms), "-i", "-",
      "-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "18", "-movflags", "+faststart", temp_.string()};
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);

  int fds[2];
  if (pipe(fds) != 0) throw Error(path_.string(), "cannot make a pipe to ffmpeg");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[0], STDIN_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[1]);
  const int error = posix_spawnp(&pid_, "ffmpeg", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[0]);
  if (error != 0) {
    close(fds[1]);
    pid_ = -1;
    throw Error(path_.string(), "cannot run ffmpeg (" + std::string(strerror(error)) +
                                    "); install Debian's ffmpeg (make setup does)");
  }
  pipe_ = fds[1];
  // A dead ffmpeg must make write() fail with EPIPE, not kill this process.
  std::signal(SIGPIPE, SIG_IGN);
}

VideoWriter::~VideoWriter() {
  if (pid_ < 0) return;
  stop();
  std::filesystem::remove(temp_);
}

void VideoWriter::add(const IndexedImage& frame, const Palette& palette) {
  if (frame.width != width_ || frame.height != height_) throw Error(path_.string(), "frames differ in size");
  const std::vector<std::uint8_t> rgb = to_rgb(frame, palette);
  for (std::size_t done = 0; done < rgb.size();) {
    const ssize_t n = write(pipe_, rgb.data() + done, rgb.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw Error(path_.string(), "ffmpeg stopped reading frames (see its message above)");
    done += static_cast<std::size_t>(n);
  }
}

void VideoWriter::stop() {
  if (pipe_ >= 0) close(pipe_);
  pipe_ = -1;
  while (waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
}

void VideoWriter::finish() {
  stop();
  if (!WIFEXITED(status_) || WEXITSTATUS(status_) != 0) {
    std::filesystem::remove(temp_);
    throw Error(path_.string(), "ffmpeg failed (status " + std::to_string(WEXITSTATUS(status_)) + ")");
  }
  std::ostringstream bytes;
  bytes << std::ifstream(temp_, std::ios::binary).rdbuf();
  std::filesystem::remove(temp_);
  write_file_atomically(path_, bytes.str());
}

}  // namespace netlens::exports
