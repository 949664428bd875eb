#pragma once
// What every view's fuzz target checks of the session's answers: each text message it sends is
// valid JSON with a "type", and an error names its command (a string) or null.
#include <cstdlib>
#include <mutex>

#include <nlohmann/json.hpp>

#include "server/net/endpoint.hpp"

namespace netlens::fuzz {

class CheckingOutbox final : public server::Outbox {
 public:
  void send(server::Outgoing message) override {
    if (message.binary) return;
    const auto reply = nlohmann::json::parse(*message.bytes, nullptr, false);
    if (reply.is_discarded() || !reply.contains("type")) std::abort();
    if (reply["type"] == "error" && !(reply["command"].is_string() || reply["command"].is_null())) std::abort();
  }
  void newest_ready() override {}
};

}  // namespace netlens::fuzz
