#pragma once
// What an Error thrown by f says ("" when f throws none): for tests that check the message a
// user reads.
#include <functional>
#include <string>

#include "core/error.hpp"

namespace netlens::test {

inline std::string error_text(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace netlens::test
