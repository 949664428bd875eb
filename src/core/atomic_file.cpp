#include "core/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "core/error.hpp"

namespace netlens {
namespace {

std::string reason(const char* step) { return std::string(step) + ": " + std::strerror(errno); }

// Writes all of `bytes` to fd, retrying short writes and interruptions.
bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view bytes) {
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
  std::string temp = dir.string();  // appended piece by piece: GCC 12 misreads "." + string (-Wrestrict)
  temp.append("/.").append(path.filename().string()).append(".XXXXXX");
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) throw Error(path.string(), reason("cannot create a temporary file beside it"));
  const auto fail = [&](const char* step) {
    const std::string why = reason(step);
    ::close(fd);
    ::unlink(temp.c_str());
    throw Error(path.string(), why);
  };
  if (!write_all(fd, bytes)) fail("write");
  if (::fchmod(fd, 0644) != 0) fail("chmod");
  if (::fsync(fd) != 0) fail("fsync");
  if (::close(fd) != 0) {
    const std::string why = reason("close");
    ::unlink(temp.c_str());
    throw Error(path.string(), why);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string why = reason("rename");
    ::unlink(temp.c_str());
    throw Error(path.string(), why);
  }
  // The rename itself is durable only once the directory is flushed too.
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
}

}  // namespace netlens
