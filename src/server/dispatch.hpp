#pragma once
// What a WebSocket text message does to its connection's LiveSession (docs/protocol.md): parsed,
// checked, and handed over. Beast-free, so the fuzz target drives the same path as the socket.
#include <optional>
#include <string>
#include <string_view>

#include "server/live_session.hpp"

namespace netlens::server {

inline constexpr std::size_t kMaxPendingCommands = 64;  // commands waiting for the session thread

// Applies one client message; returns the `error` message's text when it is refused. Never
// throws for anything a client can send.
std::optional<std::string> dispatch_message(LiveSession& live, std::string_view text);

}  // namespace netlens::server
