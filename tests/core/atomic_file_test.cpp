#include "core/atomic_file.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/error.hpp"

namespace fs = std::filesystem;
using netlens::write_file_atomically;

namespace {

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A directory of this test's own (ctest runs test processes in parallel).
fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("netlens_atomic_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

int files_in(const fs::path& dir) {
  int n = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir)) ++n;
  return n;
}

}  // namespace

TEST(AtomicFile, WritesAndReplacesTheWholeFile) {
  const fs::path dir = fresh_dir("replace");
  const fs::path file = dir / "model.json";
  write_file_atomically(file, "first version, longer than the second");
  EXPECT_EQ(read_all(file), "first version, longer than the second");
  write_file_atomically(file, "second");
  EXPECT_EQ(read_all(file), "second");
  EXPECT_EQ(files_in(dir), 1) << "no temporary file is left behind";
  fs::remove_all(dir);
}

TEST(AtomicFile, AMissingDirectoryIsAnErrorNamingTheFile) {
  const fs::path file = fs::temp_directory_path() / "netlens_no_such_dir_xyz" / "model.json";
  try {
    write_file_atomically(file, "x");
    FAIL() << "expected an Error";
  } catch (const netlens::Error& e) {
    EXPECT_NE(std::string(e.what()).find(file.string() + ": cannot create a temporary file"), std::string::npos)
        << e.what();
  }
}

TEST(AtomicFile, AKilledWriterLeavesTheOldFileIntact) {
  const fs::path dir = fresh_dir("killed");
  const fs::path file = dir / "model.bin";
  write_file_atomically(file, "old");
  // A child writes a large new version and is killed (SIGKILL) while writing.
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string big(128u << 20, 'n');  // long enough to be mid-write when killed
    write_file_atomically(file, big);
    ::_exit(0);
  }
  ::usleep(50'000);
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  const std::string after = read_all(file);
  // Either the child was killed before the rename (old file) or it finished (new file): never a mix.
  EXPECT_TRUE(after == "old" || after.size() == (128u << 20)) << "size " << after.size();
  fs::remove_all(dir);
}
