#pragma once
// netlens::Error: the one exception type for bad input. Its message says where and what,
// e.g. "hidden_layers[0].units: must be 1..1024, got 0".
#include <stdexcept>
#include <string>

namespace netlens {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  Error(const std::string& where, const std::string& what) : std::runtime_error(where + ": " + what) {}
};

}  // namespace netlens
