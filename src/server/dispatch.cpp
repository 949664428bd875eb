#include "server/dispatch.hpp"

#include "core/error.hpp"
#include "server/protocol.hpp"

namespace netlens::server {

std::optional<std::string> dispatch_message(LiveSession& live, std::string_view text) {
  try {
    const Command command = parse_command(text);
    if (live.pending() >= kMaxPendingCommands)
      return "busy: " + std::to_string(kMaxPendingCommands) + " commands are still waiting; send fewer";
    switch (command.type) {
      case CommandType::Play: live.play(); break;
      case CommandType::Pause: live.pause(); break;
      case CommandType::Step: live.step(); break;
      case CommandType::Reset: live.reset(); break;
      case CommandType::SetSpec:
        try {
          live.set_spec(command.spec);
        } catch (const Error& e) {
          return std::string("set_spec: ") + e.what();
        }
        break;
    }
  } catch (const Error& e) {
    return e.what();
  }
  return std::nullopt;
}

}  // namespace netlens::server
