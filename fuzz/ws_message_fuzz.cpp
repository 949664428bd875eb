// Fuzz target: one WebSocket text message from a client into a Playground session, as the
// socket hands it over: read and checked on this thread, applied on the session's. Any input
// must be applied or answered with an error that is valid JSON, and the session thread keeps
// running. Its memory budget is small, so specs that would build large networks are refused
// before they are built, as the server does with its own budget.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "message_check.hpp"
#include "server/playground/session.hpp"

using namespace netlens;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static server::Budget memory(64 << 20);
  static fuzz::CheckingOutbox outbox;
  static server::playground::PlaygroundSession session(outbox, &memory, server::playground::RunsFolder{});  // no runs folder: nothing saved
  session.receive(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
