// Fuzz target: one WebSocket text message from a client, through dispatch_message into a live
// session (as WsSession does after reading it) and, when refused, into the `error` reply. Any
// input must be applied or answered with an error message that is valid JSON; the session
// thread keeps running meanwhile. Its memory budget is small, so specs that would build large
// networks are refused before they are built, as the server does with its own budget.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "server/dispatch.hpp"
#include "server/protocol.hpp"

using namespace netlens;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static server::Budget memory(64 << 20);
  static server::LiveSession live(train::RunSpec{}, [] {}, [](const std::string&) {}, [](const std::string&) {}, &memory);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto error = server::dispatch_message(live, text)) {
    const auto reply = nlohmann::json::parse(server::error_message(*error), nullptr, false);
    if (reply.is_discarded() || reply["type"] != "error") std::abort();
  }
  return 0;
}
