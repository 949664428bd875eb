#include "server/common/session_actor.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <variant>

namespace netlens::server {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// Keeps every message, in order, with the newest frames taken as they are announced.
class Outbox final : public server::Outbox {
 public:
  void send(Outgoing m) override {
    std::lock_guard lock(mutex_);
    texts_.push_back(*m.bytes);
    changed_.notify_all();
  }
  void newest_ready() override {
    std::lock_guard lock(mutex_);
    ++newest_;
    changed_.notify_all();
  }
  // Waits up to 10 s for `n` messages; returns what there is.
  std::vector<std::string> wait(std::size_t n) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, 10s, [&] { return texts_.size() >= n; });
    return texts_;
  }
  int newest() {
    std::lock_guard lock(mutex_);
    return newest_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> texts_;
  int newest_ = 0;
};

struct Add {
  int amount;
};
struct Fail {};
struct Crash {};
struct Hold {};  // blocks the thread until released, so commands pile up behind it
using Command = std::variant<Add, Fail, Crash, Hold>;

// A counter: "add" adds, "fail" throws an Error, "crash" another exception; while running,
// each tick adds 1000.
class Counter final : public SessionActor<Command> {
 public:
  explicit Counter(server::Outbox& outbox, std::chrono::milliseconds period = 10ms)
      : SessionActor(outbox, "netlens test", period) {
    start();
  }
  ~Counter() override { stop(); }

  std::atomic<int> total{0}, ticks{0}, recovered{0};
  std::atomic<bool> run{false}, release{false}, holding{false};

 private:
  Command parse(const std::string& type, const json& message) const override {
    if (type == "add") return Add{Fields(message, type).integer("amount", 0, 100)};
    if (type == "fail") return Fail{};
    if (type == "crash") return Crash{};
    if (type == "hold") return Hold{};
    throw Error("message.type", "unknown type '" + type + "'");
  }
  std::string coalescing_key(const Command& c) const override { return std::holds_alternative<Add>(c) ? "add" : ""; }
  void begin() override { send_text("begun"); }
  void apply(Command& command) override {
    if (auto* add = std::get_if<Add>(&command)) {
      total += add->amount;
      send_text("total " + std::to_string(total));
    } else if (std::holds_alternative<Fail>(command)) {
      throw Error("amount", "too much");
    } else if (std::holds_alternative<Crash>(command)) {
      throw std::runtime_error("out of paper");
    } else {
      holding = true;
      while (!release) std::this_thread::sleep_for(1ms);
    }
  }
  bool running() const override { return run; }
  void tick() override {
    ++ticks;
    publish({text_message("frame " + std::to_string(ticks))});
  }
  void recover() override { ++recovered; }
  void finish() override { send_text("finished"); }
};

TEST(SessionActor, AppliesCommandsInOrderAfterBegin) {
  Outbox outbox;
  Counter counter(outbox);
  counter.receive(R"({"type":"add","amount":2})");
  outbox.wait(2);
  counter.receive(R"({"type":"add","amount":3.0})");  // an integer, written with a fraction of 0
  EXPECT_EQ(outbox.wait(3), (std::vector<std::string>{"begun", "total 2", "total 5"}));
}

TEST(SessionActor, ABadMessageIsAnsweredNamingItsCommandAndNothingRuns) {
  Outbox outbox;
  Counter counter(outbox);
  outbox.wait(1);
  counter.receive(R"({"type":"add","amount":2.5})");
  counter.receive("not json");
  const auto got = outbox.wait(3);
  ASSERT_EQ(got.size(), 3u);
  const json first = json::parse(got[1]), second = json::parse(got[2]);
  EXPECT_EQ(first["command"], "add");
  EXPECT_EQ(first["message"], "add.amount: must be an integer 0..100, got 2.5");
  EXPECT_TRUE(second["command"].is_null());
  EXPECT_NE(second["message"].get<std::string>().find("message: not JSON"), std::string::npos);
  EXPECT_EQ(counter.total, 0);
}

TEST(SessionActor, AFailingCommandAnswersErrorAndTheSessionLivesOn) {
  Outbox outbox;
  Counter counter(outbox);
  outbox.wait(1);
  counter.receive(R"({"type":"fail"})");
  counter.receive(R"({"type":"crash"})");
  counter.receive(R"({"type":"add","amount":4})");
  const auto got = outbox.wait(4);
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(json::parse(got[1]), (json{{"type", "error"}, {"command", "fail"}, {"message", "fail: amount: too much"}}));
  EXPECT_EQ(json::parse(got[2])["message"], "session: out of paper");  // not an Error: the view recovers
  EXPECT_EQ(counter.recovered, 1);
  EXPECT_EQ(got[3], "total 4");
}

TEST(SessionActor, ANewerCommandWithTheSameKeyReplacesTheWaitingOne) {
  Outbox outbox;
  Counter counter(outbox);
  outbox.wait(1);
  counter.receive(R"({"type":"hold"})");
  while (!counter.holding) std::this_thread::sleep_for(1ms);
  for (int i = 1; i <= 10; ++i) counter.receive(R"({"type":"add","amount":)" + std::to_string(i) + "}");
  EXPECT_EQ(counter.pending(), 1u);
  counter.release = true;
  EXPECT_EQ(outbox.wait(2).back(), "total 10");  // only the newest add ran
  EXPECT_EQ(counter.total, 10);
}

TEST(SessionActor, PastTheCapCommandsAreAnsweredBusy) {
  Outbox outbox;
  Counter counter(outbox);
  outbox.wait(1);
  counter.receive(R"({"type":"hold"})");
  while (!counter.holding) std::this_thread::sleep_for(1ms);
  for (std::size_t i = 0; i < kMaxPendingCommands; ++i) counter.receive(R"({"type":"fail"})");
  counter.receive(R"({"type":"fail"})");
  const auto got = outbox.wait(2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(json::parse(got[1])["message"], "busy: 64 commands are still waiting; send fewer");
  counter.release = true;
}

TEST(SessionActor, TicksEveryFramePeriodWhileRunningAndPublishesTheNewest) {
  Outbox outbox;
  Counter counter(outbox, 20ms);
  outbox.wait(1);
  counter.run = true;
  counter.receive(R"({"type":"add","amount":1})");  // wakes the thread, which then ticks
  std::this_thread::sleep_for(300ms);
  counter.run = false;
  const int ticks = counter.ticks;
  EXPECT_GE(ticks, 5);
  EXPECT_LE(ticks, 16);  // at most one per 20 ms
  EXPECT_GE(outbox.newest(), 1);
  const auto newest = counter.take_newest();
  ASSERT_EQ(newest.size(), 1u);
  EXPECT_EQ(*newest[0].bytes, "frame " + std::to_string(counter.ticks));
  EXPECT_TRUE(counter.take_newest().empty());  // taken once
}

TEST(SessionActor, StopRunsFinishOnTheThreadThenJoins) {
  Outbox outbox;
  {
    Counter counter(outbox);
    outbox.wait(1);
  }
  EXPECT_EQ(outbox.wait(2), (std::vector<std::string>{"begun", "finished"}));
}

}  // namespace
}  // namespace netlens::server
