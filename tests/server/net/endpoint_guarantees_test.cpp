// Every guarantee of docs/security.md, for every endpoint in the table: the same transport
// serves them all, and these tests hold it to that.
#include "server_fixture.hpp"

namespace server_test {
namespace {

// The endpoint's first message: its hello.
json read_hello(WsClient& client) {
  for (;;) {
    const auto m = client.read();
    EXPECT_TRUE(m) << client.error.message();
    if (!m) return json::object();
    if (!m->binary) return m->parsed();
  }
}

// The next error message (skipping the frames and progress the session streams meanwhile).
json read_error(WsClient& client) {
  for (;;) {
    const auto m = client.read();
    EXPECT_TRUE(m) << client.error.message();
    if (!m) return json::object();
    if (m->binary) continue;
    json j = m->parsed();
    if (j["type"] == "error") return j;
  }
}

class EveryEndpoint : public ::testing::TestWithParam<std::string> {
 protected:
  void start(netlens::server::ServerOptions options) {
    server_.reset();
    server_.emplace(std::move(options));
  }
  void SetUp() override { start(options_for("")); }
  unsigned short port() const { return server_->port(); }
  const std::string& path() const { return GetParam(); }

  std::optional<RunningServer> server_;
};

TEST_P(EveryEndpoint, GreetsWithHelloNamingItsViewAndProtocol) {
  WsClient client;
  ASSERT_FALSE(client.connect(port(), "", path()));
  const json hello = read_hello(client);
  EXPECT_EQ(hello["type"], "hello");
  EXPECT_EQ(hello["view"], path() == "/ws" ? "playground" : path().substr(4));
  EXPECT_TRUE(hello["protocol"].is_number_integer());
  EXPECT_TRUE(hello["version"].is_string());
}

TEST_P(EveryEndpoint, RefusesAForeignOrigin) {
  WsClient client;
  EXPECT_EQ(client.connect(port(), "http://evil.example", path()), websocket::error::upgrade_declined);
  EXPECT_EQ(client.response.result(), http::status::forbidden);
  WsClient own;
  EXPECT_FALSE(own.connect(port(), "http://127.0.0.1:" + std::to_string(port()), path()));
}

TEST_P(EveryEndpoint, NeedsTheTokenWhenTheServerHasOne) {
  auto options = options_for("");
  options.token = "s3cret";
  start(options);
  WsClient without;
  EXPECT_EQ(without.connect(port(), "", path()), websocket::error::upgrade_declined);
  EXPECT_EQ(without.response.result(), http::status::forbidden);
  WsClient with;
  ASSERT_FALSE(with.connect(port(), "", path() + "?token=s3cret"));
  EXPECT_EQ(read_hello(with)["type"], "hello");
}

TEST_P(EveryEndpoint, SessionsBeyondTheLimitGetServiceUnavailable) {
  auto options = options_for("");
  options.max_sessions = 1;
  start(options);
  WsClient first, second;
  ASSERT_FALSE(first.connect(port(), "", path()));
  EXPECT_EQ(second.connect(port(), "", path()), websocket::error::upgrade_declined);
  EXPECT_EQ(second.response.result(), http::status::service_unavailable);
}

TEST_P(EveryEndpoint, OversizeMessageIsAnsweredAndTheConnectionKept) {
  WsClient client;
  ASSERT_FALSE(client.connect(port(), "", path()));
  read_hello(client);
  ASSERT_FALSE(client.send_text(std::string((1 << 20) + 1, ' ')));
  json error = read_error(client);
  EXPECT_TRUE(error["command"].is_null()) << error;
  EXPECT_EQ(error.value("message", ""), "message: too large: 1048577 bytes; at most 1048576 (1 MiB) per message");
  // Still open: a bad command is answered, naming it.
  ASSERT_FALSE(client.send_text(R"({"type":"warp"})"));
  error = read_error(client);
  EXPECT_EQ(error["command"], "warp") << error;
  EXPECT_NE(error.value("message", "").find("unknown type 'warp'"), std::string::npos) << error;
}

TEST_P(EveryEndpoint, DeepNestingIsRefusedAndTheConnectionKept) {
  WsClient client;
  ASSERT_FALSE(client.connect(port(), "", path()));
  read_hello(client);
  ASSERT_FALSE(client.send_text(R"({"type":"play","x":)" + std::string(40, '[') + std::string(40, ']') + "}"));
  json error = read_error(client);
  EXPECT_TRUE(error["command"].is_null()) << error;
  EXPECT_NE(error.value("message", "").find("nested more than 32 deep"), std::string::npos) << error;
  ASSERT_FALSE(client.send_text("{}"));
  error = read_error(client);
  EXPECT_NE(error.value("message", "").find("message.type: is missing"), std::string::npos) << error;
}

TEST_P(EveryEndpoint, InvalidUtf8ClosesWithBadPayload) {
  WsClient client;
  ASSERT_FALSE(client.connect(port(), "", path()));
  read_hello(client);
  ASSERT_FALSE(client.send_text("{\"type\":\"\xc3\x28\"}"));
  while (client.read()) {
  }
  EXPECT_EQ(client.error, websocket::error::closed) << client.error.message();
  EXPECT_EQ(client.close_reason().code, websocket::close_code::bad_payload);
}

TEST_P(EveryEndpoint, StoppingTheServerSendsACloseFrame) {
  WsClient client;
  ASSERT_FALSE(client.connect(port(), "", path()));
  read_hello(client);
  server_->server().stop();
  while (client.read()) {
  }
  EXPECT_EQ(client.error, websocket::error::closed) << client.error.message();
  EXPECT_EQ(client.close_reason().code, websocket::close_code::going_away);
}

INSTANTIATE_TEST_SUITE_P(Table, EveryEndpoint, ::testing::Values("/ws", "/ws/digits", "/ws/inside", "/ws/lurk", "/ws/runs"),
                         [](const auto& param_info) {
                           return param_info.param == "/ws" ? std::string("playground") : param_info.param.substr(4);
                         });

}  // namespace
}  // namespace server_test
