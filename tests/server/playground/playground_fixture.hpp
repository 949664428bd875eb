#pragma once
// The Playground session as a connection has it, for the session tests (session*_test.cpp).
#include <optional>
#include <string>

#include "server/playground/session.hpp"
#include "server/support/recording_outbox.hpp"
#include "support/bytes.hpp"

namespace netlens::server::playground {

using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

// A Playground session as a connection has it, and everything it sent.
struct Playground {
  RecordingOutbox outbox;  // declared first: outlives the session
  std::optional<PlaygroundSession> session;

  explicit Playground(train::RunSpec spec = {}, std::filesystem::path runs_dir = {}, Budget* memory = nullptr) {
    session.emplace(outbox, memory, std::move(runs_dir), std::move(spec));
    outbox.attach(*session);
  }

  void send(std::string_view text) { session->receive(text); }
  void send_json(const json& message) { session->receive(message.dump()); }
  void stop() { session.reset(); }

  // The first state message at or after message `from` whose JSON satisfies `pred`; null after 20 s.
  template <class Pred>
  const Recorded* state(Pred pred, std::size_t from = 0) {
    return outbox.wait_for("state", pred, from);
  }
  const Recorded* state(std::size_t from = 0) { return outbox.wait_for("state", from); }
  // The frame's binary half, recorded right after its state.
  const Recorded* body(const Recorded* state) {
    return outbox.wait_for_message([](const Recorded& r) { return r.binary; }, state->index + 1);
  }
  // The first error at or after message `from`; null after 20 s.
  const Recorded* error(std::size_t from = 0) { return outbox.wait_for("error", from); }
  // Sends `text` and returns the error that answers it (null JSON if none comes in 20 s).
  json answer(std::string_view text) {
    const std::size_t from = outbox.size();
    send(text);
    const Recorded* e = error(from);
    return e ? e->json : json();
  }
};

inline int epoch(const json& state) { return state["epoch"].get<int>(); }
using test::u32_at;
inline json error_of(std::optional<std::string> command, const std::string& message) {
  return {{"type", "error"}, {"command", command ? json(*command) : json(nullptr)}, {"message", message}};
}

}  // namespace netlens::server::playground
