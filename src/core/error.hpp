#pragma once
// netlens::Error: the one exception type for bad input. Its message says where and what,
// e.g. "hidden_layers[0].units: must be 1..1024, got 0".
#include <stdexcept>
#include <string>
#include <string_view>

namespace netlens {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  Error(const std::string& where, const std::string& what) : std::runtime_error(where + ": " + what) {}
};

// What an error message quotes of someone's input: at most `max` bytes, cut before a partial
// UTF-8 sequence and ended with "..." when cut, so a 1 MiB name makes a short message.
inline std::string excerpt(std::string_view text, std::size_t max = 60) {
  if (text.size() <= max) return std::string(text);
  std::size_t end = max - 3;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xc0) == 0x80) --end;  // text[end] starts a character
  return std::string(text.substr(0, end)) + "...";
}

}  // namespace netlens
