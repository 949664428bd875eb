#pragma once
// Runs the real netlens binary (NETLENS_BIN, set by CTest) as a user would: through a pipe, or
// on a pseudo-terminal.
#include <gtest/gtest.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/scratch.hpp"

namespace netlens::test {

struct Result {
  int status;
  std::string out, err;
};

inline Result run_netlens(const std::string& args) {
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
inline std::string run_on_terminal(const std::vector<std::string>& args) {
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


}  // namespace netlens::test
