#pragma once
// `netlens serve ARGS` (NETLENS_BIN, set by CMake) as a child process, for tests that need the
// real binary: its first stdout line (the URL it serves), its port, its stderr (a file of this
// process's own), a signal and its exit status. Killed if still running at the end.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace netlens::test {

class ServeProcess {
 public:
  explicit ServeProcess(std::vector<std::string> args) {
    static int calls = 0;
    err_path_ = ::testing::TempDir() + "netlens_serve_stderr_" + std::to_string(getpid()) + "_" + std::to_string(++calls);
    int out[2];
    EXPECT_EQ(pipe(out), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<char*> argv{const_cast<char*>(NETLENS_BIN), const_cast<char*>("serve")};
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    EXPECT_EQ(posix_spawn(&pid_, NETLENS_BIN, &actions, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    char c;
    while (read(out[0], &c, 1) == 1 && c != '\n') first_line += c;
    close(out[0]);
  }
  ~ServeProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    std::remove(err_path_.c_str());
  }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  // Sends `signal` (none for 0); the exit status, or -1 if the process did not exit within 10 s.
  int stop(int signal) {
    using namespace std::chrono_literals;
    if (signal) kill(pid_, signal);
    for (int i = 0; i < 1000; ++i) {
      int status;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(10ms);
    }
    return -1;
  }

  std::string err() const {
    std::stringstream ss;
    ss << std::ifstream(err_path_).rdbuf();
    return ss.str();
  }

  // The port in "netlens: serving http://HOST:PORT/...", or -1.
  int port() const {
    const auto host = first_line.find("http://");
    const auto colon = host == std::string::npos ? host : first_line.find(':', host + 7);
    return colon == std::string::npos ? -1 : std::atoi(first_line.c_str() + colon + 1);
  }

  pid_t pid() const { return pid_; }

  std::string first_line;

 private:
  pid_t pid_ = -1;
  std::string err_path_;
};

}  // namespace netlens::test
