#include "core/json.hpp"

#include <filesystem>
#include <fstream>

#include "core/error.hpp"

namespace netlens {

nlohmann::json parse_json(std::string_view text, const std::string& where) {
  // The callback sees each value's depth as the parser reaches it, before anything deeper.
  const auto limit_depth = [&](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
    if (depth > kMaxJsonDepth)
      throw Error(where, "not JSON that netlens reads: nested more than " + std::to_string(kMaxJsonDepth) +
                             " deep");
    return true;
  };
  try {
    return nlohmann::json::parse(text, limit_depth);
  } catch (const nlohmann::json::exception& e) {
    // A syntax error, or a number too large for a double ("1e999" is out_of_range, not a
    // parse_error). nlohmann's messages start with "[json.exception.parse_error.101] "; the
    // rest says where.
    std::string what = e.what();
    const auto end = what.find("] ");
    throw Error(where, "not JSON: " + excerpt(end == std::string::npos ? what : what.substr(end + 2), 200));
  }
}

std::string read_small_file(const std::string& path, const std::string& what, std::size_t max_bytes) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw Error(path, "cannot open " + what + ": " + (ec ? ec.message() : "not a regular file"));
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw Error(path, "cannot open " + what + ": " + ec.message());
  if (size > max_bytes)
    throw Error(path, what + " is " + std::to_string(size) + " bytes; at most " + std::to_string(max_bytes) +
                          " are read");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path, "cannot open " + what);
  std::string text(size, '\0');
  if (!in.read(text.data(), static_cast<std::streamsize>(size)))
    throw Error(path, "cannot read " + what + ": it ended before its " + std::to_string(size) + " bytes");
  return text;
}

nlohmann::json read_json_file(const std::string& path, const std::string& what) {
  return parse_json(read_small_file(path, what, kMaxJsonFileBytes), path);
}

}  // namespace netlens
