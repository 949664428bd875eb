#pragma once
// A client message read as a view's session reads it: JSON, its "type", then the view's
// parse_command (passed in), for the commands tests of every view.
#include <string_view>

#include "core/json.hpp"
#include "core/json_fields.hpp"

namespace netlens::test {

template <class Parse>
auto read_command(std::string_view text, Parse parse_command) {
  const auto message = parse_json(text, "message");
  return parse_command(Fields(message, "message").string("type"), message);
}

}  // namespace netlens::test
