#pragma once
// What the server tests share: a netlens::server::Server running on its own thread (and the
// Server fixture, whose web root holds a small page), a WebSocket client and an HTTP GET that
// give up after kTimeout, and the live session threads counted from /proc.

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
#include "server/endpoints.hpp"
#include "server/net/server.hpp"
#include "support/bar_images.hpp"
#include "support/scratch.hpp"

namespace server_test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace fs = std::filesystem;
using tcp = net::ip::tcp;
using nlohmann::json;
using namespace std::chrono_literals;

inline constexpr auto kTimeout = 10s;

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

inline netlens::server::ServerOptions options_for(const fs::path& web_root) {
  netlens::server::ServerOptions o;
  o.port = 0;
  o.web_root = web_root.string();
  return o;
}

// The views of a test server: Digits trains on a small set of bar images (test/support) into
// a models folder of this process, and Playground runs are not saved.
inline netlens::server::ViewOptions test_views() {
  netlens::server::ViewOptions views;
  views.mnist_dir = netlens::test::write_bar_images("server_views", 300, 50);
  views.models_dir = netlens::test::scratch_dir() / "server_models";
  return views;
}

inline netlens::server::Server::Endpoints endpoints_for(netlens::server::ViewOptions views = test_views()) {
  return [views](netlens::server::Budget& memory) { return netlens::server::view_endpoints(views, memory); };
}

// A netlens::server::Server on 127.0.0.1, a free port, running on its own thread.
class RunningServer {
 public:
  explicit RunningServer(netlens::server::ServerOptions options,
                         const netlens::server::Server::Endpoints& endpoints = endpoints_for())
      : server_(std::move(options), endpoints), done_(std::async(std::launch::async, [this] { server_.run(); })) {}
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

  // The next message, passing over `timeline` messages (the server sends one whenever the run
  // takes a checkpoint, between any two others); the error (closed, timed_out) in `error` when
  // there is none.
  std::optional<Message> read() {
    for (;;) {
      buffer_.clear();
      error = await(ioc_, ws_, [&](auto handler) { ws_.async_read(buffer_, handler); });
      if (error) return std::nullopt;
      Message m{ws_.got_binary(), beast::buffers_to_string(buffer_.data())};
      const json j = m.binary ? json() : json::parse(m.bytes, nullptr, false);
      if (!j.is_object() || j.value("type", "") != "timeline") return m;
    }
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

// Sends `request` to 127.0.0.1:PORT and reads the reply (Host is set unless given).
template <class Body>
HttpReply http_exchange(unsigned short port, http::request<Body>& request) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  HttpReply reply;
  const tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), port);
  reply.error = await(ioc, stream, [&](auto handler) { stream.async_connect(endpoint, handler); });
  if (reply.error) return reply;
  if (request.find(http::field::host) == request.end()) request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  reply.error = await(ioc, stream, [&](auto handler) { http::async_write(stream, request, handler); });
  if (reply.error) return reply;
  beast::flat_buffer buffer;
  reply.error = await(ioc, stream, [&](auto handler) { http::async_read(stream, buffer, reply.response, handler); });
  return reply;
}

using HeaderFields = std::vector<std::pair<http::field, std::string>>;

// GET `target` with the given header fields added.
inline HttpReply http_get(unsigned short port, const std::string& target, const HeaderFields& fields = {}) {
  http::request<http::empty_body> request{http::verb::get, target, 11};
  for (const auto& [field, value] : fields) request.set(field, value);
  return http_exchange(port, request);
}

// POST `body` to `target` as `content_type` (none when empty), with the given header fields added.
inline HttpReply http_post(unsigned short port, const std::string& target, const std::string& body,
                           const std::string& content_type, const HeaderFields& fields = {}) {
  http::request<http::string_body> request{http::verb::post, target, 11};
  if (!content_type.empty()) request.set(http::field::content_type, content_type);
  for (const auto& [field, value] : fields) request.set(field, value);
  request.body() = body;
  request.prepare_payload();
  return http_exchange(port, request);
}

inline const std::string kIndexHtml = "<!doctype html><title>netlens test page</title>\n";

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

// Live session threads in this process, found by their name in /proc.
inline int session_threads() {
  int n = 0;
  for (const auto& task : fs::directory_iterator("/proc/self/task")) {
    std::string name;
    std::getline(std::ifstream(task.path() / "comm"), name);
    n += name == "netlens session";
  }
  return n;
}

// Waits up to kTimeout for every session thread to end.
inline void wait_for_no_session_threads() {
  const auto deadline = std::chrono::steady_clock::now() + kTimeout;
  while (session_threads() > 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(session_threads(), 0);
}

}  // namespace server_test
