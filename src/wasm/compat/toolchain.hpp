#pragma once
// What the engine uses that Debian's Emscripten 3.1.6 lacks: of C++20 (its libc++ is 13),
// std::bit_cast and the floating-point <charconv>; of glibc, sysconf's cache sizes (an unknown
// name, so the reader falls back to its default) and renameat2 (checked then renamed: the
// worker's one thread is the file system's only user). Included before every source of the WebAssembly build
// (-include); the native build has them from libstdc++. The numbers written are the shortest
// that read back as the same value, as libstdc++'s, though an exponent may be spelled where it
// would use fixed notation (both read back the same).
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <system_error>

#include <cerrno>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef _SC_LEVEL2_CACHE_SIZE
#define _SC_LEVEL2_CACHE_SIZE (-1)
#endif

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1u
inline int renameat2(int from_dir, const char* from, int to_dir, const char* to, unsigned flags) {
  struct stat existing;
  if ((flags & RENAME_NOREPLACE) && fstatat(to_dir, to, &existing, AT_SYMLINK_NOFOLLOW) == 0) {
    errno = EEXIST;
    return -1;
  }
  return renameat(from_dir, from, to_dir, to);
}
#endif

namespace std {

template <class To, class From>
constexpr To bit_cast(const From& from) noexcept {
  return __builtin_bit_cast(To, from);
}

namespace netlens_compat {

template <class T>
T read_back(const char* text) {
  if constexpr (sizeof(T) == sizeof(float))
    return std::strtof(text, nullptr);
  else
    return std::strtod(text, nullptr);
}

// The fewest digits after the point (fixed) or in all (scientific) with which `x` reads back.
template <class T>
int shortest(T x, char conversion, char* text, int size) {
  for (int p = 0; p < 400; ++p) {
    const int n = std::snprintf(text, size, conversion == 'f' ? "%.*f" : "%.*e", p, static_cast<double>(x));
    if (n >= size) return -1;
    if (read_back<T>(text) == x) return n;
  }
  return -1;
}

template <class T>
to_chars_result write(char* first, char* last, T x, bool fixed, bool scientific) {
  char best[512], other[512];
  int n = -1;
  if (!std::isfinite(x)) {
    n = std::snprintf(best, sizeof best, "%s", std::isnan(x) ? "nan" : (x > 0 ? "inf" : "-inf"));
  } else {
    const double a = std::fabs(static_cast<double>(x));
    if (fixed && (a == 0 || (a >= 1e-30 && a < 1e40))) n = shortest(x, 'f', best, sizeof best);
    if (scientific) {
      const int m = shortest(x, 'e', other, sizeof other);
      if (m >= 0 && (n < 0 || m < n)) {
        std::memcpy(best, other, static_cast<std::size_t>(m) + 1);
        n = m;
      }
    }
  }
  if (n < 0 || n > last - first) return {last, errc::value_too_large};
  std::memcpy(first, best, static_cast<std::size_t>(n));
  return {first + n, errc()};
}

}  // namespace netlens_compat

inline to_chars_result to_chars(char* first, char* last, float x) {
  return netlens_compat::write(first, last, x, true, true);
}
inline to_chars_result to_chars(char* first, char* last, double x) {
  return netlens_compat::write(first, last, x, true, true);
}
inline to_chars_result to_chars(char* first, char* last, double x, chars_format format) {
  return netlens_compat::write(first, last, x, format != chars_format::scientific, format != chars_format::fixed);
}

inline from_chars_result from_chars(const char* first, const char* last, double& value) {
  const std::string text(first, last);  // strtod needs a terminated string
  if (text.empty() || std::isspace(static_cast<unsigned char>(text[0])) || text[0] == '+') return {first, errc::invalid_argument};
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str()) return {first, errc::invalid_argument};
  const char* stop = first + (end - text.c_str());
  if (std::isinf(v) && text.find_first_of("iI") == std::string::npos) return {stop, errc::result_out_of_range};
  value = v;
  return {stop, errc()};
}

}  // namespace std
