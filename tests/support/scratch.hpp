#pragma once
// A folder of this test process's own under the test temp folder, removed with everything in it
// when the process exits: tests write their files there and leave nothing behind (ctest runs
// test binaries in parallel processes, so each has its own).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace netlens::test {

inline const std::filesystem::path& scratch_dir() {
  struct Scratch {
    std::filesystem::path path = std::filesystem::path(::testing::TempDir()) / ("netlens_test_" + std::to_string(::getpid()));
    Scratch() { std::filesystem::create_directories(path); }
    ~Scratch() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  };
  static const Scratch scratch;
  return scratch.path;
}

// A file of this process's own: scratch_dir() / name.
inline std::string temp_path(const std::string& name) { return (scratch_dir() / name).string(); }

}  // namespace netlens::test
