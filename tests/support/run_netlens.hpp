#pragma once
// Runs the real netlens binary (NETLENS_BIN, set by CTest) as a user would: exit status,
// stdout and stderr.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace netlens::test {

struct Result {
  int status;
  std::string out, err;
};

inline Result run_netlens(const std::string& args) {
  // One file per process and call: ctest runs tests in parallel processes.
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

// A file of this process's own in the test temp folder.
inline std::string temp_path(const std::string& name) {
  return ::testing::TempDir() + std::to_string(getpid()) + "_" + name;
}

}  // namespace netlens::test
