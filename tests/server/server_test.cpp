#include "server/server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <thread>

#include "core/error.hpp"

namespace server_test {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace fs = std::filesystem;
using tcp = net::ip::tcp;
using nlohmann::json;
using namespace std::chrono_literals;

constexpr auto kTimeout = 10s;

// Runs one asynchronous client operation on `ioc` for at most kTimeout; returns its error
// (timed_out if it did not finish, after closing `stream` so nothing is left pending).
template <class Stream, class Start>
beast::error_code await(net::io_context& ioc, Stream& stream, Start start) {
  beast::error_code result = net::error::timed_out;
  bool done = false;
  start([&](beast::error_code ec, auto&&...) {
    result = ec;
    done = true;
  });
  ioc.restart();
  ioc.run_for(kTimeout);
  if (!done) {
    beast::get_lowest_layer(stream).close();
    ioc.restart();
    ioc.run();
  }
  return result;
}

netlens::server::ServerOptions options_for(const fs::path& web_root) {
  netlens::server::ServerOptions o;
  o.port = 0;
  o.web_root = web_root.string();
  return o;
}

// A netlens::server::Server on 127.0.0.1, a free port, running on its own thread.
class RunningServer {
 public:
  explicit RunningServer(netlens::server::ServerOptions options)
      : server_(std::move(options)), done_(std::async(std::launch::async, [this] { server_.run(); })) {}
  explicit RunningServer(const fs::path& web_root) : RunningServer(options_for(web_root)) {}
  ~RunningServer() {
    server_.stop();
    done_.wait();
  }
  unsigned short port() const { return server_.port(); }
  netlens::server::Server& server() { return server_; }
  std::future<void>& done() { return done_; }

 private:
  netlens::server::Server server_;
  std::future<void> done_;
};

struct Message {
  bool binary = false;
  std::string bytes;
  json parsed() const { return json::parse(bytes); }
};

class WsClient {
 public:
  // Connects to `target`; Origin and Cookie are sent only when given, Host is the given one or
  // 127.0.0.1:PORT. Returns the handshake's error.
  beast::error_code connect(unsigned short port, const std::string& origin = "", const std::string& target = "/ws",
                            const std::string& cookie = "", std::string host = "") {
    const tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), port);
    auto ec = await(ioc_, ws_, [&](auto handler) { beast::get_lowest_layer(ws_).async_connect(endpoint, handler); });
    if (ec) return ec;
    ws_.set_option(websocket::stream_base::decorator([origin, cookie](websocket::request_type& req) {
      if (!origin.empty()) req.set(http::field::origin, origin);
      if (!cookie.empty()) req.set(http::field::cookie, cookie);
    }));
    if (host.empty()) host = "127.0.0.1:" + std::to_string(port);
    return await(ioc_, ws_, [&](auto handler) { ws_.async_handshake(response, host, target, handler); });
  }

  // The TCP socket under the WebSocket, to misbehave on.
  tcp::socket& socket() { return beast::get_lowest_layer(ws_).socket(); }

  beast::error_code send_text(const std::string& text) {
    ws_.text(true);
    return await(ioc_, ws_, [&](auto handler) { ws_.async_write(net::buffer(text), handler); });
  }

  beast::error_code send_binary(const std::string& bytes) {
    ws_.binary(true);
    return await(ioc_, ws_, [&](auto handler) { ws_.async_write(net::buffer(bytes), handler); });
  }

  // The next message; the error (closed, timed_out) in `error` when there is none.
  std::optional<Message> read() {
    buffer_.clear();
    error = await(ioc_, ws_, [&](auto handler) { ws_.async_read(buffer_, handler); });
    if (error) return std::nullopt;
    return Message{ws_.got_binary(), beast::buffers_to_string(buffer_.data())};
  }

  // The next JSON text message (an empty object if there is none).
  json read_json() {
    const auto m = read();
    EXPECT_TRUE(m) << "no message: " << error.message();
    if (!m) return json::object();
    EXPECT_FALSE(m->binary);
    return m->parsed();
  }

  // Reads a state message and its heatmap, checking that their seqs agree.
  json read_frame() {
    const json state = read_json();
    EXPECT_EQ(state.value("type", ""), "state") << state.dump();
    const auto heatmap = read();
    EXPECT_TRUE(heatmap && heatmap->binary);
    if (!heatmap || heatmap->bytes.size() < 28) return state;
    std::uint32_t seq;
    std::memcpy(&seq, heatmap->bytes.data() + 4, 4);  // little-endian, as this machine
    EXPECT_EQ(json(seq), state["seq"]);
    return state;
  }

  // Reads hello, spec, data and the epoch-0 frame that every connection starts with.
  void read_greeting() {
    EXPECT_EQ(read_json().value("type", ""), "hello");
    EXPECT_EQ(read_json().value("type", ""), "spec");
    EXPECT_EQ(read_json().value("type", ""), "data");
    EXPECT_EQ(read_frame().value("epoch", -1), 0);
  }

  beast::error_code close() {
    return await(ioc_, ws_, [&](auto handler) { ws_.async_close(websocket::close_code::normal, handler); });
  }

  websocket::close_reason close_reason() const { return ws_.reason(); }

  websocket::response_type response;
  beast::error_code error;

 private:
  net::io_context ioc_;
  websocket::stream<beast::tcp_stream> ws_{ioc_};
  beast::flat_buffer buffer_;
};

struct HttpReply {
  beast::error_code error;
  http::response<http::string_body> response;
};

// GET `target` with the given header fields added (Host is 127.0.0.1:PORT unless given).
HttpReply http_get(unsigned short port, const std::string& target,
                   const std::vector<std::pair<http::field, std::string>>& fields = {}) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  HttpReply reply;
  const tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), port);
  reply.error = await(ioc, stream, [&](auto handler) { stream.async_connect(endpoint, handler); });
  if (reply.error) return reply;
  http::request<http::empty_body> request{http::verb::get, target, 11};
  request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  for (const auto& [field, value] : fields) request.set(field, value);
  reply.error = await(ioc, stream, [&](auto handler) { http::async_write(stream, request, handler); });
  if (reply.error) return reply;
  beast::flat_buffer buffer;
  reply.error = await(ioc, stream, [&](auto handler) { http::async_read(stream, buffer, reply.response, handler); });
  return reply;
}

const std::string kIndexHtml = "<!doctype html><title>netlens test page</title>\n";

// A Server whose web root holds index.html and assets/app.js, with secret.txt beside the root.
class Server : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("netlens_server_" + std::to_string(std::random_device{}()));
    fs::create_directories(dir_ / "web" / "assets");
    std::ofstream(dir_ / "web" / "index.html", std::ios::binary) << kIndexHtml;
    std::ofstream(dir_ / "web" / "assets" / "app.js") << "console.log(1);\n";
    std::ofstream(dir_ / "secret.txt") << "secret\n";
    start(options_for(dir_ / "web"));
  }
  // Restarts the server with other options (a token, limits).
  void start(netlens::server::ServerOptions options) {
    server_.reset();
    options.web_root = (dir_ / "web").string();
    server_.emplace(std::move(options));
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(dir_);
  }
  unsigned short port() const { return server_->port(); }

  fs::path dir_;
  std::optional<RunningServer> server_;
};

TEST_F(Server, SendsHelloSpecDataAndTheFirstFrameOnConnect) {
  WsClient client;
  ASSERT_FALSE(client.connect(port()));
  const json hello = client.read_json();
  EXPECT_EQ(hello["type"], "hello");
  EXPECT_EQ(hello["protocol"], 2);
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
  EXPECT_EQ(error.value("message", ""), "set_spec: spec.hidden_layers[0].units: must be 1..1024, got 0");

  ASSERT_FALSE(client.send_text(R"({"type":"set_spec"})"));
  error = client.read_json();
  EXPECT_NE(error.value("message", "").find("set_spec: \"spec\" is missing"), std::string::npos) << error;

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

TEST_F(Server, RefusesWebSocketFromAnotherOrigin) {
  WsClient client;
  EXPECT_EQ(client.connect(port(), "http://evil.example"), websocket::error::upgrade_declined);
  EXPECT_EQ(client.response.result(), http::status::forbidden);
}

TEST_F(Server, AcceptsWebSocketFromItsOwnOrigin) {
  WsClient client;
  ASSERT_FALSE(client.connect(port(), "http://127.0.0.1:" + std::to_string(port())));
  EXPECT_EQ(client.read_json()["type"], "hello");
}

TEST_F(Server, ServesStaticFilesWithTheirContentType) {
  for (const std::string target : {"/index.html", "/"}) {
    const auto reply = http_get(port(), target);
    ASSERT_FALSE(reply.error) << target << ": " << reply.error.message();
    EXPECT_EQ(reply.response.result(), http::status::ok) << target;
    EXPECT_EQ(reply.response.body(), kIndexHtml) << target;
    EXPECT_EQ(reply.response[http::field::content_type].substr(0, 9), "text/html") << target;
  }
  const auto js = http_get(port(), "/assets/app.js?v=2");
  EXPECT_EQ(js.response.result(), http::status::ok);
  EXPECT_EQ(js.response.body(), "console.log(1);\n");
  EXPECT_EQ(js.response[http::field::content_type].substr(0, 15), "text/javascript");
}

TEST_F(Server, RefusesPathsOutsideTheWebRoot) {
  for (const std::string target : {"/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2Fsecret.txt", "/..\\secret.txt"}) {
    const auto reply = http_get(port(), target);
    ASSERT_FALSE(reply.error) << target << ": " << reply.error.message();
    EXPECT_EQ(reply.response.result(), http::status::bad_request) << target;
    EXPECT_EQ(reply.response.body().find("secret"), std::string::npos);
  }
  EXPECT_EQ(http_get(port(), "/missing.js").response.result(), http::status::not_found);
  EXPECT_EQ(http_get(port(), "/ws").response.result(), http::status::upgrade_required);
}

TEST(ServerWithoutBundle, RootSaysTheBundleIsNotBuilt) {
  const fs::path root = fs::temp_directory_path() / ("netlens_empty_" + std::to_string(std::random_device{}()));
  fs::create_directories(root);
  {
    RunningServer server(root);
    const auto reply = http_get(server.port(), "/");
    ASSERT_FALSE(reply.error) << reply.error.message();
    EXPECT_EQ(reply.response.result(), http::status::not_found);
    EXPECT_NE(reply.response.body().find("make build"), std::string::npos) << reply.response.body();
  }
  fs::remove_all(root);
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

// Live session threads in this process, found by their name in /proc.
int session_threads() {
  int n = 0;
  for (const auto& task : fs::directory_iterator("/proc/self/task")) {
    std::string name;
    std::getline(std::ifstream(task.path() / "comm"), name);
    n += name == "netlens session";
  }
  return n;
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
  const auto deadline = std::chrono::steady_clock::now() + kTimeout;
  while (session_threads() > 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(session_threads(), 0);
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
  netlens::server::Server server(options_for(""));
  server.stop();
  auto done = std::async(std::launch::async, [&] { server.run(); });
  EXPECT_EQ(done.wait_for(kTimeout), std::future_status::ready);
}

TEST(ServerLifecycle, BusyPortThrowsAClearError) {
  netlens::server::Server first(options_for(""));
  try {
    auto options = options_for("");
    options.port = first.port();
    netlens::server::Server second(options);
    FAIL() << "expected an Error";
  } catch (const netlens::Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("cannot listen on 127.0.0.1:" + std::to_string(first.port())), std::string::npos) << what;
    EXPECT_NE(what.find("in use"), std::string::npos) << what;
  }
}

// --- Access: token, Host, limits --------------------------------------------------------

class ServerWithToken : public Server {
 protected:
  void SetUp() override {
    Server::SetUp();
    auto options = options_for("");
    options.token = "s3cret";
    start(options);
  }
  std::string cookie() const { return "netlens-token-" + std::to_string(port()) + "=s3cret"; }
};

TEST_F(ServerWithToken, RequestsWithoutTheTokenAreRefused) {
  for (const std::string target : {"/", "/assets/app.js", "/?token=wrong", "/?token=", "/?tok=s3cret"}) {
    const auto reply = http_get(port(), target);
    EXPECT_EQ(reply.response.result(), http::status::forbidden) << target;
    EXPECT_NE(reply.response.body().find("needs its token"), std::string::npos) << reply.response.body();
    EXPECT_EQ(reply.response.body().find("s3cret"), std::string::npos);
  }
  EXPECT_EQ(http_get(port(), "/", {{http::field::cookie, "netlens-token-1=s3cret"}}).response.result(),
            http::status::forbidden);  // another server's cookie
  EXPECT_EQ(http_get(port(), "/", {{http::field::authorization, "token s3cre"}}).response.result(),
            http::status::forbidden);
  WsClient client;
  EXPECT_EQ(client.connect(port()), websocket::error::upgrade_declined);
  EXPECT_EQ(client.response.result(), http::status::forbidden);
}

TEST_F(ServerWithToken, TheUrlTokenSetsACookieThatLetsThePageAndItsSocketIn) {
  const auto page = http_get(port(), "/?token=s3cret");
  EXPECT_EQ(page.response.result(), http::status::ok);
  EXPECT_EQ(page.response.body(), kIndexHtml);
  EXPECT_EQ(std::string(page.response[http::field::set_cookie]),
            cookie() + "; Path=/; HttpOnly; SameSite=Strict");

  const auto js = http_get(port(), "/assets/app.js", {{http::field::cookie, "a=b; " + cookie()}});
  EXPECT_EQ(js.response.result(), http::status::ok);
  EXPECT_EQ(js.response[http::field::set_cookie], "");
  EXPECT_EQ(http_get(port(), "/assets/app.js", {{http::field::authorization, "token s3cret"}}).response.result(),
            http::status::ok);

  WsClient by_cookie;
  ASSERT_FALSE(by_cookie.connect(port(), "http://127.0.0.1:" + std::to_string(port()), "/ws", cookie()));
  EXPECT_EQ(by_cookie.read_json()["type"], "hello");
  WsClient by_url;
  ASSERT_FALSE(by_url.connect(port(), "", "/ws?token=s3cret"));
  EXPECT_EQ(by_url.read_json()["type"], "hello");
}

TEST_F(ServerWithToken, TheTokenStillNeedsTheOwnOrigin) {
  WsClient client;
  EXPECT_EQ(client.connect(port(), "http://evil.example", "/ws", cookie()), websocket::error::upgrade_declined);
  EXPECT_EQ(client.response.result(), http::status::forbidden);
}

TEST_F(Server, ListensUnderAUrlWithTheTokenWhenThereIsOne) {
  std::promise<std::string> url;
  auto options = options_for("");
  options.token = "abc123";
  options.on_listening = [&](const std::string& u) { url.set_value(u); };
  start(options);
  auto got = url.get_future();
  ASSERT_EQ(got.wait_for(kTimeout), std::future_status::ready);
  EXPECT_EQ(got.get(), "http://127.0.0.1:" + std::to_string(port()) + "/?token=abc123");
}

// Without a token, a page on another site could reach the server through DNS rebinding (its
// name resolved to 127.0.0.1): such requests name the server by that site's host name.
TEST_F(Server, RefusesRequestsThatNameItByAnotherHost) {
  const auto evil = http_get(port(), "/", {{http::field::host, "evil.example:" + std::to_string(port())}});
  EXPECT_EQ(evil.response.result(), http::status::forbidden);
  EXPECT_NE(evil.response.body().find("host 'evil.example:"), std::string::npos) << evil.response.body();
  for (const std::string host : {"localhost", "127.0.0.1", "[::1]"})
    EXPECT_EQ(http_get(port(), "/", {{http::field::host, host + ":" + std::to_string(port())}}).response.result(),
              http::status::ok)
        << host;
  WsClient client;  // Origin and Host agree, as they would after rebinding
  const std::string host = "evil.example:" + std::to_string(port());
  EXPECT_EQ(client.connect(port(), "http://" + host, "/ws", "", host), websocket::error::upgrade_declined);
  EXPECT_EQ(client.response.result(), http::status::forbidden);
}

TEST_F(Server, RefusesTraversalInEverySpelling) {
  fs::create_directory_symlink(dir_, dir_ / "web" / "out");  // a link leading out of the bundle
  fs::create_symlink(dir_ / "secret.txt", dir_ / "web" / "secret-link.txt");
  for (const std::string target :
       {"/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/assets/..%2Fsecret.txt", "/assets/%2e./secret.txt",
        "/..\\secret.txt", "/%5c..%5csecret.txt", "/assets/../../secret.txt", "/.%2e/secret.txt", "/%00/secret.txt",
        "//etc/passwd", "/out/secret.txt", "/secret-link.txt", "/%"}) {
    const auto reply = http_get(port(), target);
    ASSERT_FALSE(reply.error) << target << ": " << reply.error.message();
    const auto status = reply.response.result();
    EXPECT_TRUE(status == http::status::bad_request || status == http::status::not_found) << target << ": " << status;
    EXPECT_EQ(reply.response.body().find("secret\n"), std::string::npos) << target;
  }
}

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

// --- Faults --------------------------------------------------------------------------------

void wait_for_no_session_threads() {
  const auto deadline = std::chrono::steady_clock::now() + kTimeout;
  while (session_threads() > 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(session_threads(), 0);
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
