// Limits and faults: sessions, connections and memory beyond their caps, and clients that
// disconnect mid-frame, storm, or never read.
#include "server_fixture.hpp"

namespace server_test {
namespace {

TEST_F(Server, SessionsBeyondTheLimitGetServiceUnavailable) {
  auto options = options_for("");
  options.max_sessions = 2;
  start(options);
  WsClient a, b, c;
  ASSERT_FALSE(a.connect(port()));
  ASSERT_FALSE(b.connect(port()));
  EXPECT_EQ(c.connect(port()), websocket::error::upgrade_declined);
  EXPECT_EQ(c.response.result(), http::status::service_unavailable);
  EXPECT_NE(c.response.body().find("too many live sessions (at most 2"), std::string::npos) << c.response.body();
  EXPECT_FALSE(a.close());
  a.read();  // the server's answer to the close
  // The slot is free once the first session has ended.
  const auto deadline = std::chrono::steady_clock::now() + kTimeout;
  for (;;) {
    WsClient d;
    if (!d.connect(port())) break;
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the closed session's slot was not freed";
    std::this_thread::sleep_for(20ms);
  }
}

TEST_F(Server, ConnectionsBeyondTheLimitGetServiceUnavailable) {
  auto options = options_for("");
  options.max_connections = 3;
  start(options);
  net::io_context ioc;
  std::vector<tcp::socket> idle;
  for (int i = 0; i < 3; ++i) {
    idle.emplace_back(ioc);
    idle.back().connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port()));
  }
  // The accepts happen in order: wait until the server has the three.
  std::this_thread::sleep_for(200ms);
  const auto reply = http_get(port(), "/");
  EXPECT_EQ(reply.response.result(), http::status::service_unavailable);
  EXPECT_NE(reply.response.body().find("too many open connections (at most 3)"), std::string::npos)
      << reply.response.body();
  idle.clear();
  const auto deadline = std::chrono::steady_clock::now() + kTimeout;
  while (http_get(port(), "/").response.result() != http::status::ok)
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "closed connections were not counted out";
}

TEST_F(Server, ARunBeyondTheMemoryLimitIsRefusedBeforeItIsBuilt) {
  auto options = options_for("");
  options.memory_limit = 64 << 20;
  start(options);
  WsClient client;
  ASSERT_FALSE(client.connect(port()));
  client.read_greeting();
  ASSERT_FALSE(client.send_text(
      R"({"type":"set_spec","spec":{"hidden_layers":[{"units":1024},{"units":1024},{"units":1024}]}})"));
  const json error = client.read_json();
  EXPECT_EQ(error.value("message", "").rfind("set_spec: memory: this run needs about ", 0), 0u) << error;
  EXPECT_NE(error.value("message", "").find("may use 64 MiB in all"), std::string::npos) << error;
  ASSERT_FALSE(client.send_text(R"({"type":"step"})"));
  EXPECT_EQ(client.read_frame()["epoch"], 1);  // the run goes on untouched
}

TEST_F(Server, AClientThatDisconnectsMidFrameLeavesTheServerUp) {
  {
    WsClient client;
    ASSERT_FALSE(client.connect(port()));
    ASSERT_FALSE(client.send_text(R"({"type":"play"})"));
    // A text frame header that promises 1000 masked bytes, then 3 of them, then the socket goes.
    const unsigned char partial[] = {0x81, 0xfe, 0x03, 0xe8, 1, 2, 3, 4, 'a', 'b', 'c'};
    net::write(client.socket(), net::buffer(partial));
    client.socket().close();
  }
  wait_for_no_session_threads();
  WsClient next;
  ASSERT_FALSE(next.connect(port()));
  next.read_greeting();
}

TEST_F(Server, AStormOfConnectsAndDisconnectsLeavesNothingBehind) {
  net::io_context ioc;
  for (int i = 0; i < 60; ++i) {
    if (i % 3 == 0) {  // TCP only, closed at once
      tcp::socket s(ioc);
      s.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port()));
    } else {  // a session, dropped without a close frame, half of them while playing
      WsClient client;
      ASSERT_FALSE(client.connect(port()));
      if (i % 3 == 1) {
        ASSERT_FALSE(client.send_text(R"({"type":"play"})"));
      }
      client.socket().close();
    }
  }
  wait_for_no_session_threads();
  WsClient next;
  ASSERT_FALSE(next.connect(port()));
  next.read_greeting();
}

TEST_F(Server, AClientThatNeverReadsDoesNotHoldUpOthers) {
  WsClient lazy;
  ASSERT_FALSE(lazy.connect(port()));
  ASSERT_FALSE(lazy.send_text(R"({"type":"play"})"));  // frames pile up on its side, never read
  WsClient client;
  ASSERT_FALSE(client.connect(port()));
  client.read_greeting();
  ASSERT_FALSE(client.send_text(R"({"type":"play"})"));
  for (int i = 0; i < 60; ++i) EXPECT_EQ(client.read_frame()["running"], true);
}

}  // namespace
}  // namespace server_test
