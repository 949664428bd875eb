// The in-page engine's entry (the static build, docs/architecture.md "Static build"): one view
// session, opened by its endpoint path, driven by the Web Worker that loads this module
// (web/src/engine/worker.ts). The worker hands it the page's text messages (receive) and calls
// pump() when it asks; what the session sends reaches the worker as ordered deliver(bytes,
// binary) calls on the module, the newest frame after the messages of the same pump.
#include <emscripten/emscripten.h>

#include <chrono>
#include <exception>
#include <memory>
#include <string>
#include <string_view>

#include "core/parallel.hpp"
#include "server/common/session_actor.hpp"
#include "server/inside/session.hpp"
#include "server/playground/session.hpp"

namespace {

using namespace netlens;
using namespace netlens::server;

// clang-format off
EM_JS(void, deliver, (const char* bytes, std::size_t size, int binary), {
  Module.deliver(HEAPU8.slice(bytes, bytes + size), binary !== 0);
});
// clang-format on

// The worker's side of the session: messages go out at once, in order; the newest frame is
// taken after each pump, as a connection takes it when its socket is free.
class WorkerOutbox final : public Outbox {
 public:
  void send(Outgoing message) override { deliver(message.bytes->data(), message.bytes->size(), message.binary); }
  void newest_ready() override { newest_waiting = true; }
  bool newest_waiting = false;
};

constexpr std::size_t kSessionMemory = std::size_t{1} << 30;  // the page's tab is the limit; this caps one run's estimate

struct Engine {
  WorkerOutbox outbox;
  Budget memory{kSessionMemory};
  std::unique_ptr<ViewSession> session;  // destroyed before the outbox and the budget
  SteppedSession* stepped = nullptr;

  void deliver_newest() {
    if (!outbox.newest_waiting) return;
    outbox.newest_waiting = false;
    for (const Outgoing& m : session->take_newest()) outbox.send(m);
  }
};

Engine* engine = nullptr;

template <class View>
void open_view(Engine& e, std::unique_ptr<View> view) {
  e.stepped = view.get();
  e.session = std::move(view);
}

}  // namespace

extern "C" {

// Opens the session of `path` ("/ws" or "/ws/inside"), closing one already open. Returns "" or
// what went wrong; the string lives until the next call.
EMSCRIPTEN_KEEPALIVE const char* netlens_open(const char* path) {
  static std::string problem;
  problem.clear();
  delete std::exchange(engine, nullptr);
  parallel::set_threads(1);  // no threads in this build: every parallel_for runs in its caller
  auto e = std::make_unique<Engine>();
  try {
    const std::string_view p(path);
    if (p == "/ws")
      open_view(*e, std::make_unique<playground::PlaygroundSession>(e->outbox, &e->memory, playground::RunsFolder{}));
    else if (p == "/ws/inside")
      open_view(*e, std::make_unique<inside::InsideSession>(e->outbox, e->memory));
    else
      problem = std::string(p) + ": the in-page engine serves the Playground (/ws) and Inside (/ws/inside) only";
  } catch (const std::exception& ex) {
    problem = ex.what();
  }
  if (problem.empty()) {
    e->deliver_newest();
    engine = e.release();
  }
  return problem.c_str();
}

EMSCRIPTEN_KEEPALIVE void netlens_receive(const char* text) {
  if (engine) engine->session->receive(text);
}

// Applies what waits and ticks when due; returns the milliseconds until it wants to be called
// again, or -1 when only a message can give it work.
EMSCRIPTEN_KEEPALIVE double netlens_pump() {
  if (!engine) return -1;
  const auto next = engine->stepped->pump();
  engine->deliver_newest();
  if (!next) return -1;
  return std::chrono::duration<double, std::milli>(*next).count();
}

EMSCRIPTEN_KEEPALIVE void netlens_close() { delete std::exchange(engine, nullptr); }

}  // extern "C"
