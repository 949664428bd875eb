#pragma once
// RecordingOutbox: an Outbox for tests of a view session. It records every message the session
// sends, in order; on newest_ready() it takes the session's newest messages (the frame) at once
// and records them too, so a test sees every frame. A test waits for a message that satisfies a
// predicate (wait_for_message), or for a text message of a type (wait_for). hold() makes the
// session's thread wait in its next newest_ready() until release(): a session busy for as long
// as the test needs, to let commands pile up.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/net/endpoint.hpp"

namespace netlens::server {

// One message as the session sent it.
struct Recorded {
  std::size_t index = 0;  // its place among every message recorded, from 0
  std::shared_ptr<const std::string> bytes;
  bool binary = false;
  nlohmann::json json;  // a text message, parsed (null when binary or not JSON)

  const std::string& data() const { return *bytes; }
  bool is(std::string_view type) const { return !binary && json.is_object() && json.value("type", "") == type; }
};

class RecordingOutbox final : public Outbox {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr Clock::duration kTimeout = std::chrono::seconds(20);

  // The session whose newest messages newest_ready() takes; a newest_ready() that came before
  // (the session's thread starts in its constructor) is answered now. The session must not call
  // newest_ready() after it is destroyed (a ViewSession's destructor guarantees it).
  void attach(ViewSession& session) {
    std::lock_guard lock(mutex_);
    session_ = &session;
    if (std::exchange(newest_waiting_, false)) take_newest_locked();
  }

  void send(Outgoing message) override {
    Recorded r = parse(std::move(message));
    std::lock_guard lock(mutex_);
    append_locked(std::move(r));
  }

  void newest_ready() override {
    std::unique_lock lock(mutex_);
    ++newest_readies_;
    if (held_) {
      waiting_in_hold_ = true;
      changed_.notify_all();
      changed_.wait(lock, [this] { return !held_; });
      waiting_in_hold_ = false;
    }
    if (!session_) {
      newest_waiting_ = true;
      return;
    }
    take_newest_locked();
  }

  // From now on the session's thread waits in newest_ready() until release().
  void hold() {
    std::lock_guard lock(mutex_);
    held_ = true;
  }
  void release() {
    std::lock_guard lock(mutex_);
    held_ = false;
    changed_.notify_all();
  }
  // True once the session's thread waits in newest_ready() (after hold()); false after `timeout`.
  bool wait_until_held(Clock::duration timeout = kTimeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [this] { return waiting_in_hold_; });
  }

  // The first message at or after index `from` that satisfies `pred` (a function of a const
  // Recorded&), waiting for it up to `timeout`; null after that. The pointer stays valid while
  // this outbox lives.
  template <class Pred>
  const Recorded* wait_for_message(Pred pred, std::size_t from = 0, Clock::duration timeout = kTimeout) const {
    std::unique_lock lock(mutex_);
    const auto deadline = Clock::now() + timeout;
    std::size_t next = from;
    for (;;) {
      for (; next < messages_.size(); ++next)
        if (pred(messages_[next])) return &messages_[next];
      if (changed_.wait_until(lock, deadline) == std::cv_status::timeout && next == messages_.size()) return nullptr;
    }
  }

  // The first text message of `type` at or after `from` whose JSON satisfies `pred`.
  template <class Pred>
  const Recorded* wait_for(std::string_view type, Pred pred, std::size_t from = 0,
                           Clock::duration timeout = kTimeout) const {
    return wait_for_message([&](const Recorded& r) { return r.is(type) && pred(r.json); }, from, timeout);
  }
  const Recorded* wait_for(std::string_view type, std::size_t from = 0, Clock::duration timeout = kTimeout) const {
    return wait_for(type, [](const nlohmann::json&) { return true; }, from, timeout);
  }

  std::vector<Recorded> messages() const {
    std::lock_guard lock(mutex_);
    return {messages_.begin(), messages_.end()};
  }
  // Every text message of `type` so far, its JSON, in order.
  std::vector<nlohmann::json> all(std::string_view type) const {
    std::lock_guard lock(mutex_);
    std::vector<nlohmann::json> out;
    for (const auto& r : messages_)
      if (r.is(type)) out.push_back(r.json);
    return out;
  }
  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return messages_.size();
  }
  int newest_readies() const {
    std::lock_guard lock(mutex_);
    return newest_readies_;
  }

 private:
  static Recorded parse(Outgoing message) {
    Recorded r;
    r.bytes = std::move(message.bytes);
    r.binary = message.binary;
    if (!r.binary) r.json = nlohmann::json::parse(*r.bytes, nullptr, false);
    if (r.json.is_discarded()) r.json = nullptr;
    return r;
  }

  void append_locked(Recorded r) {
    r.index = messages_.size();
    messages_.push_back(std::move(r));
    changed_.notify_all();
  }

  void take_newest_locked() {
    for (auto& message : session_->take_newest()) append_locked(parse(std::move(message)));
  }

  mutable std::mutex mutex_;  // guards what follows
  mutable std::condition_variable changed_;
  std::deque<Recorded> messages_;  // a deque: a Recorded never moves once recorded
  ViewSession* session_ = nullptr;
  bool newest_waiting_ = false;  // newest_ready() came before attach()
  bool held_ = false, waiting_in_hold_ = false;
  int newest_readies_ = 0;
};

}  // namespace netlens::server
