#pragma once
// JSON text as netlens reads it from files and sockets: nesting deeper than kMaxJsonDepth is
// refused (copying or printing a deeper value would recurse past the stack), and a number too
// large for a double is a syntax error like any other.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace netlens {

inline constexpr int kMaxJsonDepth = 32;  // a spec nests 3 deep, a model header 4

inline constexpr std::size_t kMaxJsonFileBytes = 1 << 20;  // specs, configs and manifests are kilobytes

// Throws Error(where, "not JSON: ...") saying where the text is wrong.
nlohmann::json parse_json(std::string_view text, const std::string& where);

// The bytes of a regular file of at most `max_bytes`, refused before it is read (/dev/zero, a
// huge file); `what` names it in errors, which start "PATH: ".
std::string read_small_file(const std::string& path, const std::string& what, std::size_t max_bytes);

// A JSON file (`what` names it in errors: "spec file"): only a regular file, and at most
// kMaxJsonFileBytes, refused before it is read (/dev/zero, a huge file). Errors start "PATH: ".
nlohmann::json read_json_file(const std::string& path, const std::string& what);

}  // namespace netlens
