// The Playground's WebSocket session through a real Server: the greeting, commands and frames,
// bad and oversize messages, and how sessions and the server stop.
#include "server_fixture.hpp"

namespace server_test {
namespace {

TEST_F(Server, SendsHelloSpecDataAndTheFirstFrameOnConnect) {
  WsClient client;
  ASSERT_FALSE(client.connect(port()));
  const json hello = client.read_json();
  EXPECT_EQ(hello["type"], "hello");
  EXPECT_EQ(hello["protocol"], 3);
  EXPECT_EQ(hello["view"], "playground");
  const json spec = client.read_json();
  EXPECT_EQ(spec["type"], "spec");
  EXPECT_EQ(spec["spec"]["dataset"], "circle");
  EXPECT_EQ(spec["grid"], 100);
  EXPECT_EQ(spec["domain"]["x_min"], -6.0);
  EXPECT_EQ(spec["domain"]["y_max"], 6.0);
  const json data = client.read_json();
  EXPECT_EQ(data["type"], "data");
  EXPECT_EQ(data["problem"], "classification");
  EXPECT_EQ(data["train"].size() + data["test"].size(), 500u);
  EXPECT_EQ(data["test"][0].size(), 3u);
  const json state = client.read_json();
  EXPECT_EQ(state["type"], "state");
  EXPECT_EQ(state["epoch"], 0);
  EXPECT_EQ(state["running"], false);
  EXPECT_TRUE(state["test_loss"].is_number());
  EXPECT_TRUE(state["test_accuracy"].is_number());
  const auto heatmap = client.read();
  ASSERT_TRUE(heatmap);
  ASSERT_TRUE(heatmap->binary);
  ASSERT_EQ(heatmap->bytes.size(), 28u + 4u * (100 * 100 + 25) + 9u * 20 * 20);
  EXPECT_EQ(heatmap->bytes.substr(0, 4), "NLFR");
  std::uint32_t header[6];
  std::memcpy(header, heatmap->bytes.data() + 4, 24);
  EXPECT_EQ(json(header[0]), state["seq"]);
  EXPECT_EQ(header[1], 100u);  // output grid
  EXPECT_EQ(header[2], 1u);    // outputs
  EXPECT_EQ(header[3], 20u);   // unit grid
  EXPECT_EQ(header[4], 9u);    // nodes
  EXPECT_EQ(header[5], 25u);   // params
}

TEST_F(Server, MalformedMessageGetsErrorAndConnectionSurvives) {
  WsClient client;
  ASSERT_FALSE(client.connect(port()));
  client.read_greeting();

  ASSERT_FALSE(client.send_text("not json"));
  json error = client.read_json();
  EXPECT_EQ(error["type"], "error");
  EXPECT_NE(error.value("message", "").find("not JSON"), std::string::npos) << error;

  ASSERT_FALSE(client.send_text(R"({"type":"warp"})"));
  error = client.read_json();
  EXPECT_EQ(error["type"], "error");
  EXPECT_NE(error.value("message", "").find("unknown type 'warp'"), std::string::npos) << error;

  ASSERT_FALSE(client.send_text(R"({"spec":{}})"));
  error = client.read_json();
  EXPECT_NE(error.value("message", "").find("type"), std::string::npos) << error;

  ASSERT_FALSE(client.send_text(R"({"type":"set_spec","spec":{"hidden_layers":[{"units":0}]}})"));
  error = client.read_json();
  EXPECT_EQ(error["type"], "error");
  EXPECT_EQ(error.value("message", ""), "set_spec: spec.hidden_layers[0].units: must be an integer 1..1024, got 0");

  ASSERT_FALSE(client.send_text(R"({"type":"set_spec"})"));
  error = client.read_json();
  EXPECT_NE(error.value("message", "").find("set_spec.spec: is missing"), std::string::npos) << error;

  ASSERT_FALSE(client.send_binary("NLHM...."));
  error = client.read_json();
  EXPECT_NE(error.value("message", "").find("binary"), std::string::npos) << error;

  ASSERT_FALSE(client.send_text(R"({"type":"step"})"));
  const json state = client.read_frame();
  EXPECT_EQ(state["epoch"], 1);
  EXPECT_EQ(state["running"], false);
}

TEST_F(Server, GreetingComesFirstEvenWhenTheClientSpeaksAtOnce) {
  WsClient client;
  ASSERT_FALSE(client.connect(port()));
  ASSERT_FALSE(client.send_text("not json"));
  ASSERT_FALSE(client.send_text(R"({"type":"step"})"));
  client.read_greeting();
  EXPECT_EQ(client.read_json()["type"], "error");
  EXPECT_EQ(client.read_frame()["epoch"], 1);
}

TEST_F(Server, PlayStreamsFramesWithRisingEpochs) {
  WsClient client;
  ASSERT_FALSE(client.connect(port()));
  client.read_greeting();
  ASSERT_FALSE(client.send_text(R"({"type":"play"})"));
  int last_epoch = 0;
  json last_seq = 0;
  for (int i = 0; i < 10; ++i) {
    const json state = client.read_frame();
    EXPECT_EQ(state["running"], true);
    EXPECT_GT(state.value("epoch", 0), last_epoch);
    EXPECT_GT(state["seq"], last_seq);
    last_epoch = state.value("epoch", 0);
    last_seq = state["seq"];
  }
  ASSERT_FALSE(client.send_text(R"({"type":"pause"})"));
  json state;
  do state = client.read_frame();
  while (state.value("running", false));
  EXPECT_GE(state.value("epoch", 0), last_epoch);
}

TEST_F(Server, SetSpecSendsSpecDataAndAFrame) {
  WsClient client;
  ASSERT_FALSE(client.connect(port()));
  client.read_greeting();
  ASSERT_FALSE(client.send_text(R"({"type":"set_spec","spec":{"dataset":"xor","num_samples":100}})"));
  const json spec = client.read_json();
  EXPECT_EQ(spec["type"], "spec");
  EXPECT_EQ(spec["spec"]["dataset"], "xor");
  EXPECT_EQ(spec["spec"]["num_samples"], 100);
  const json data = client.read_json();
  EXPECT_EQ(data["type"], "data");
  EXPECT_EQ(data["train"].size() + data["test"].size(), 100u);
  const json state = client.read_frame();
  EXPECT_EQ(state["epoch"], 0);
}

TEST_F(Server, OversizeMessageGetsAnErrorAndTheNextMessageWorks) {
  WsClient client;
  ASSERT_FALSE(client.connect(port()));
  client.read_greeting();
  for (const std::size_t size : {(std::size_t{1} << 20) + 1, std::size_t{5} << 20}) {
    ASSERT_FALSE(client.send_text(R"({"type":"step","padding":")" + std::string(size - 28, 'x') + "\"}"));
    const json error = client.read_json();
    EXPECT_EQ(error["type"], "error");
    EXPECT_EQ(error.value("message", ""), "message: too large: " + std::to_string(size) +
                                              " bytes; at most 1048576 (1 MiB) per message");
  }
  ASSERT_FALSE(client.send_text(R"({"type":"step"})"));
  EXPECT_EQ(client.read_frame()["epoch"], 1);
}

TEST_F(Server, MessageOverSixtyFourMebibytesClosesWithMessageTooBig) {
  WsClient client;
  ASSERT_FALSE(client.connect(port()));
  client.read_greeting();
  client.send_text(std::string((64 << 20) + 1, ' '));  // the server may close before it is all sent
  EXPECT_FALSE(client.read());
  EXPECT_EQ(client.error, websocket::error::closed) << client.error.message();
  EXPECT_EQ(client.close_reason().code, websocket::close_code::too_big);
}

// Found by fuzz/ws_message: a number beyond a double's range threw an exception the handler did
// not catch, and it ended the server.
TEST_F(Server, HostileJsonGetsAnErrorAndTheServerStaysUp) {
  WsClient client;
  ASSERT_FALSE(client.connect(port()));
  client.read_greeting();
  const std::pair<std::string, std::string> cases[] = {
      {R"({"type":"play","n":1e999})", "message: not JSON: number overflow"},
      {R"({"type":"set_spec","spec":{"noise":)" + std::string(200000, '[') + std::string(200000, ']') + "}}",
       "message: not JSON that netlens reads: nested more than 32 deep"},
      {R"({"type":"set_spec","spec":{"dataset":")" + std::string(500000, 'q') + "\"}}",
       "set_spec: spec.dataset: unknown data set 'qqqq"},
  };
  for (const auto& [text, message] : cases) {
    ASSERT_FALSE(client.send_text(text));
    const json error = client.read_json();
    EXPECT_EQ(error.value("message", "").rfind(message, 0), 0u) << error.dump().substr(0, 300);
    EXPECT_LT(error.dump().size(), 400u);
  }
  ASSERT_FALSE(client.send_text(R"({"type":"step"})"));
  EXPECT_EQ(client.read_frame()["epoch"], 1);
}

TEST_F(Server, MessageOfExactlyOneMebibyteIsRead) {
  WsClient client;
  ASSERT_FALSE(client.connect(port()));
  client.read_greeting();
  std::string text = R"({"type":"warp","padding":")";
  text += std::string((1 << 20) - text.size() - 2, 'x') + "\"}";
  ASSERT_EQ(text.size(), 1u << 20);
  ASSERT_FALSE(client.send_text(text));
  EXPECT_NE(client.read_json().value("message", "").find("warp"), std::string::npos);
}

TEST_F(Server, StopMakesRunReturnWithAPlayingConnectionOpen) {
  WsClient client;
  ASSERT_FALSE(client.connect(port()));
  client.read_greeting();
  ASSERT_FALSE(client.send_text(R"({"type":"play"})"));
  client.read_frame();
  server_->server().stop();
  while (client.read()) {
  }
  EXPECT_EQ(server_->done().wait_for(kTimeout), std::future_status::ready);
  EXPECT_EQ(client.error, websocket::error::closed) << client.error.message();  // a close frame, not a cut
  EXPECT_EQ(client.close_reason().code, websocket::close_code::going_away);
}

TEST_F(Server, ClosingTheSocketStopsItsSessionThread) {
  {
    WsClient client;
    ASSERT_FALSE(client.connect(port()));
    client.read_greeting();
    ASSERT_FALSE(client.send_text(R"({"type":"play"})"));
    client.read_frame();
    EXPECT_EQ(session_threads(), 1);
    EXPECT_FALSE(client.close());
  }
  wait_for_no_session_threads();
}

TEST(ServerLifecycle, ReportsItsUrlAndStopsBeforeAnyConnection) {
  std::promise<std::string> url;
  auto options = options_for("");
  options.on_listening = [&](const std::string& u) { url.set_value(u); };
  RunningServer server(options);
  auto got = url.get_future();
  ASSERT_EQ(got.wait_for(kTimeout), std::future_status::ready);
  EXPECT_EQ(got.get(), "http://127.0.0.1:" + std::to_string(server.port()) + "/");
  server.server().stop();
  EXPECT_EQ(server.done().wait_for(kTimeout), std::future_status::ready);
}

TEST(ServerLifecycle, StopBeforeRunStillReturns) {
  netlens::server::Server server(options_for(""), endpoints_for());
  server.stop();
  auto done = std::async(std::launch::async, [&] { server.run(); });
  EXPECT_EQ(done.wait_for(kTimeout), std::future_status::ready);
}

TEST(ServerLifecycle, BusyPortThrowsAClearError) {
  netlens::server::Server first(options_for(""), endpoints_for());
  try {
    auto options = options_for("");
    options.port = first.port();
    netlens::server::Server second(options, endpoints_for());
    FAIL() << "expected an Error";
  } catch (const netlens::Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("cannot listen on 127.0.0.1:" + std::to_string(first.port())), std::string::npos) << what;
    EXPECT_NE(what.find("in use"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace server_test
