// Fuzz target: one WebSocket text message from a client, read as the Runs view's session
// reads it (core/json, the field reader, runs::parse_command). Any input must give a
// command or an Error, never a crash or another exception.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "core/json.hpp"
#include "core/json_fields.hpp"
#include "server/runs/commands.hpp"

using namespace netlens;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto message = parse_json(std::string_view(reinterpret_cast<const char*>(data), size), "message");
    const std::string type = Fields(message, "message").string("type");
    server::runs::parse_command(type, message);
  } catch (const Error&) {
  }
  return 0;
}
