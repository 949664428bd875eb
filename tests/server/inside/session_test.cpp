#include "server/inside/session.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

using namespace netlens;
using namespace netlens::server;
using namespace netlens::server::inside;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// Every JSON message of a session, its newest frames as they come.
struct Inbox final : Outbox {
  std::mutex mutex;
  std::condition_variable arrived;
  std::vector<json> messages;
  ViewSession* session = nullptr;

  void send(Outgoing m) override {
    std::lock_guard lock(mutex);
    if (!m.binary) messages.push_back(json::parse(*m.bytes));
    arrived.notify_all();
  }
  void newest_ready() override {
    std::lock_guard lock(mutex);
    if (!session) return;
    for (auto& m : session->take_newest())
      if (!m.binary) messages.push_back(json::parse(*m.bytes));
    arrived.notify_all();
  }
  void attach(ViewSession& s) {
    {
      std::lock_guard lock(mutex);
      session = &s;
    }
    newest_ready();
  }
  // The first message after `from` for which `ok` holds; waits up to 20 s.
  json wait_for(std::size_t& from, const std::function<bool(const json&)>& ok) {
    std::unique_lock lock(mutex);
    json found;
    arrived.wait_for(lock, 20s, [&] {
      for (; from < messages.size(); ++from)
        if (ok(messages[from])) return found = messages[from++], true;
      return false;
    });
    return found;
  }
};

auto of_type(const std::string& type) {
  return [type](const json& j) { return j["type"] == type; };
}

}  // namespace

TEST(InsideSession, GreetsWithHelloThenTheRunAndItsFirstFrame) {
  Inbox inbox;
  Budget memory(1ull << 30);
  InsideSession session(inbox, memory);
  inbox.attach(session);
  std::size_t at = 0;
  const json hello = inbox.wait_for(at, [](const json&) { return true; });
  EXPECT_EQ(hello["type"], "hello");
  EXPECT_EQ(hello["view"], "inside");
  EXPECT_EQ(hello["protocol"], 2);
  EXPECT_EQ(inbox.wait_for(at, [](const json&) { return true; })["type"], "run");
  EXPECT_EQ(inbox.wait_for(at, of_type("frame"))["epoch"], 0);
}

TEST(InsideSession, AProbeMovesTheNodeValuesAndNothingElse) {
  Inbox inbox;
  Budget memory(1ull << 30);
  InsideSession session(inbox, memory);
  inbox.attach(session);
  std::size_t at = 0;
  const json before = inbox.wait_for(at, of_type("frame"));
  session.receive(R"({"type":"probe","x1":0.9,"x2":0.1})");
  const json after = inbox.wait_for(at, [](const json& j) { return j["type"] == "frame" && j["nodes"]["x1"] != 0 && j["nodes"]["x1"].get<double>() > 0.89; });
  ASSERT_EQ(after["type"], "frame") << "no frame for the probe";
  EXPECT_NE(after["nodes"], before["nodes"]);
  EXPECT_EQ(after["epoch"], before["epoch"]);
  EXPECT_EQ(after["params"], before["params"]);
  EXPECT_EQ(after["hidden"], before["hidden"]);
}

TEST(InsideSession, ABadViewIsAnsweredNamingTheCommandAndTheRunGoesOn) {
  Inbox inbox;
  Budget memory(1ull << 30);
  InsideSession session(inbox, memory);
  inbox.attach(session);
  std::size_t at = 0;
  inbox.wait_for(at, of_type("frame"));
  session.receive(R"({"type":"set_view","directions":"weights","first":0,"second":999})");
  const json error = inbox.wait_for(at, of_type("error"));
  EXPECT_EQ(error["command"], "set_view");
  EXPECT_EQ(error["message"].get<std::string>().rfind("set_view: second: must be a parameter index 0..", 0), 0u) << error;
  session.receive(R"({"type":"step"})");
  EXPECT_GT(inbox.wait_for(at, [](const json& j) { return j["type"] == "frame" && j["epoch"] > 0; })["epoch"], 0);
}

TEST(InsideSession, ARunBeyondTheMemoryBudgetIsRefusedAndTheRunGoesOn) {
  Inbox inbox;
  Budget memory(64 << 20);
  InsideSession session(inbox, memory);
  inbox.attach(session);
  std::size_t at = 0;
  inbox.wait_for(at, of_type("frame"));
  const std::size_t used = memory.used();
  EXPECT_GT(used, 0u);
  // Four layers of 64 units recorded at every epoch: about 250 MB of trace.
  session.receive(R"({"type":"set_spec","spec":{"hidden":[64,64,64,64],"epochs":5000,"refresh":1}})");
  const json error = inbox.wait_for(at, of_type("error"));
  EXPECT_EQ(error["command"], "set_spec");
  EXPECT_EQ(error["message"].get<std::string>().rfind("set_spec: memory: this run needs about ", 0), 0u) << error;
  EXPECT_EQ(memory.used(), used);
  session.receive(R"({"type":"step"})");
  EXPECT_GT(inbox.wait_for(at, [](const json& j) { return j["type"] == "frame" && j["epoch"] > 0; })["epoch"], 0);
}
