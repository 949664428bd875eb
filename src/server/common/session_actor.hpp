#pragma once
// SessionActor: the thread that owns one connection's view session, the same for every view.
// Client messages are parsed on the connection's thread into the view's Command (a variant of
// small structs) and queued here; the thread applies them in order, each under a guard, and
// between them, while the view is running, calls tick() once per frame period. The queue has
// one cap; a command with a coalescing key (a dragged scrubber, a probed point, a stroke)
// replaces the one with the same key still waiting. The newest frame waits in one slot that
// the connection takes when its socket is free.
//
// A view derives from SessionActor<Command>, calls start() last in its constructor and stop()
// first in its destructor, and implements apply() (and running()/tick() if it runs).
//
// Two drivers step the same logic. Natively the actor owns a thread. Built with
// NETLENS_STEPPED_ACTORS (the WebAssembly build: a static page gets no threads without the
// COOP/COEP headers SharedArrayBuffer needs) it owns none: begin() runs in start(), finish() in
// stop(), and its host calls pump() (SteppedSession), which applies what waits and ticks when due.
#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "core/json.hpp"
#include "core/json_fields.hpp"
#include "server/common/wire.hpp"
#include "server/net/endpoint.hpp"

namespace netlens::server {

inline constexpr std::size_t kMaxPendingCommands = 64;  // commands waiting for a session's thread

#ifdef NETLENS_STEPPED_ACTORS
inline constexpr bool kSteppedActors = true;
#else
inline constexpr bool kSteppedActors = false;
#endif

// A session driven from outside, on its host's one thread (the stepped driver).
class SteppedSession {
 public:
  virtual ~SteppedSession() = default;
  // Applies the commands waiting and runs the tick if one is due. Returns how long until the
  // next tick is due; none while the view is not running (call again when a message arrives).
  virtual std::optional<std::chrono::steady_clock::duration> pump() = 0;
};

template <class Command>
class SessionActor : public ViewSession, public SteppedSession {
 public:
  using Clock = std::chrono::steady_clock;

  SessionActor(const SessionActor&) = delete;
  SessionActor& operator=(const SessionActor&) = delete;

  // One client message: read here, on the connection's thread, then queued. A message that
  // cannot be read is answered with an `error` naming its command (when it has a "type"), in
  // its turn: the answers go out in the order the messages came, after the greeting.
  void receive(std::string_view text) override {
    std::optional<std::string> type;
    try {
      const nlohmann::json message = parse_json(text, "message");
      const Fields fields(message, "message");
      type = fields.string("type");
      Command command = parse(*type, message);
      std::string key = coalescing_key(command);
      enqueue({std::move(command), *type, std::move(key), {}});
    } catch (const Error& e) {
      answer(type, e.what());
    } catch (const std::exception& e) {  // out of memory, say: the connection lives on
      answer(type, std::string("message: cannot be read: ") + e.what());
    }
  }

  std::size_t pending() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
  }

  std::vector<Outgoing> take_newest() override {
    std::lock_guard lock(mutex_);
    return std::exchange(newest_, {});
  }

  std::optional<Clock::duration> pump() override {
    std::vector<Queued> todo;
    {
      std::lock_guard lock(mutex_);
      todo.swap(queue_);
    }
    run(todo);
    if (!running()) return std::nullopt;
    return std::max(Clock::duration::zero(), next_tick_ - Clock::now());
  }

 protected:
  // `thread_name` is what top -H shows (at most 15 bytes); `frame_period` the least time
  // between two ticks' starts.
  SessionActor(Outbox& outbox, const char* thread_name, Clock::duration frame_period)
      : outbox_(outbox), thread_name_(thread_name), frame_period_(frame_period) {}
  ~SessionActor() override = default;

  void start() {
    if constexpr (kSteppedActors)
      guarded(std::nullopt, [this] { begin(); });
    else
      thread_ = std::thread([this] { loop(); });
  }
  // Finishes the command or tick under way, runs finish(), and joins the thread.
  void stop() {
    if constexpr (kSteppedActors) {
      guarded(std::nullopt, [this] { finish(); });
      return;
    }
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  // Reads a message of type `type` into a command (throws Error naming the field: "set_param.
  // value: must be a number, got a string"); on the connection's thread.
  virtual Command parse(const std::string& type, const nlohmann::json& message) const = 0;
  // Commands of which only the newest waiting one matters share a key; "" for the rest.
  virtual std::string coalescing_key(const Command&) const { return {}; }
  // The rest run on the session's thread. begin() first (the hello, the first run).
  virtual void begin() {}
  // An Error it throws answers the command ("set_param: unit: must be 0..3, got 7"); the view
  // must leave its state as it was.
  virtual void apply(Command& command) = 0;
  virtual bool running() const { return false; }  // while true, tick() is called every frame period
  virtual void tick() {}
  // After any other exception (out of memory, say): the view stops running and says so.
  virtual void recover() {}
  virtual void finish() {}  // last, as the session stops (save what would be lost)

  // For the view, on its thread: messages in order, and the newest frame.
  void send(Outgoing message) { outbox_.send(std::move(message)); }
  void send_text(std::string text) { outbox_.send(text_message(std::move(text))); }
  void send_binary(std::string bytes) {
    outbox_.send({std::make_shared<const std::string>(std::move(bytes)), true});
  }
  void send_error(std::optional<std::string_view> command, std::string_view message) {
    send_text(error_message(command, message));
  }
  void publish(std::vector<Outgoing> frame) {
    {
      std::lock_guard lock(mutex_);
      newest_ = std::move(frame);
    }
    outbox_.newest_ready();
  }
  void drop_newest() {  // a frame of a run that is over
    std::lock_guard lock(mutex_);
    newest_.clear();
  }
  static Outgoing text_message(std::string text) { return {std::make_shared<const std::string>(std::move(text)), false}; }

 private:
  struct Queued {
    std::optional<Command> command;  // none: the message could not be read, and `answer` says why
    std::string name, key;           // its type, and its coalescing key ("": none)
    std::string answer;
  };

  // An error for a message that could not be read, in its turn (at once when the queue is full).
  void answer(const std::optional<std::string>& type, const std::string& message) {
    try {
      enqueue({std::nullopt, type.value_or(""), {}, error_message(type, message)});
    } catch (const Error& busy) {
      outbox_.send(text_message(error_message(type, busy.what())));
    }
  }

  // Throws Error "busy: ..." when kMaxPendingCommands are waiting. A command with a key
  // replaces a waiting one with the same key.
  void enqueue(Queued q) {
    std::lock_guard lock(mutex_);
    if (!q.key.empty()) {
      const auto waiting = std::find_if(queue_.begin(), queue_.end(), [&](const Queued& w) { return w.key == q.key; });
      if (waiting != queue_.end()) {
        *waiting = std::move(q);
        return;
      }
    }
    if (queue_.size() >= kMaxPendingCommands)
      throw Error("busy", std::to_string(kMaxPendingCommands) + " commands are still waiting; send fewer");
    queue_.push_back(std::move(q));
    wake_.notify_one();
  }

  void loop() {
    pthread_setname_np(pthread_self(), thread_name_);
    guarded(std::nullopt, [this] { begin(); });
    for (;;) {
      std::vector<Queued> todo;
      {
        std::unique_lock lock(mutex_);
        const auto woken = [this] { return stopping_ || !queue_.empty(); };
        if (running())
          wake_.wait_until(lock, next_tick_, woken);
        else
          wake_.wait(lock, woken);
        if (stopping_) break;
        todo.swap(queue_);
      }
      run(todo);
    }
    guarded(std::nullopt, [this] { finish(); });
  }

  // One step of either driver: the commands taken from the queue, in order, then the tick if due.
  void run(std::vector<Queued>& todo) {
    for (auto& q : todo) {
      if (!q.command) {
        send_text(std::move(q.answer));
        continue;
      }
      const bool was_running = running();
      guarded(q.name, [&] { apply(*q.command); });
      if (!was_running && running()) next_tick_ = Clock::now();
    }
    if (running() && Clock::now() >= next_tick_) {
      next_tick_ = Clock::now() + frame_period_;
      guarded(std::nullopt, [this] { tick(); });
    }
  }

  template <class F>
  void guarded(const std::optional<std::string>& command, F&& work) {
    try {
      work();
    } catch (const Error& e) {
      if (command)
        send_error(command, *command + ": " + e.what());
      else
        fail(e.what());
    } catch (const std::exception& e) {
      fail(e.what());
    }
  }

  // Whatever failed, the session lives on: the view recovers and the page is told.
  void fail(const std::string& what) {
    try {
      recover();
    } catch (const std::exception&) {
    }
    send_error(std::nullopt, "session: " + what);
  }

  Outbox& outbox_;
  const char* thread_name_;
  Clock::duration frame_period_;
  Clock::time_point next_tick_ = Clock::now();  // the driver's own: the session thread's, or the host's

  mutable std::mutex mutex_;  // guards what follows
  std::condition_variable wake_;
  std::vector<Queued> queue_;
  std::vector<Outgoing> newest_;
  bool stopping_ = false;

  std::thread thread_;
};

}  // namespace netlens::server
