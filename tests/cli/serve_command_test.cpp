// Runs the real `netlens serve` binary (NETLENS_BIN) as a user would: which hosts need a
// token, the URL it prints, a clean exit on SIGINT and SIGTERM, and the runs saved then.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/run_netlens.hpp"
#include "support/serve_process.hpp"

namespace netlens {
namespace {

// `netlens serve ARGS`, and the part of its first line after the URL's host and port.
class Serve : public test::ServeProcess {
 public:
  using ServeProcess::ServeProcess;

  // The line after "netlens: serving http://HOST:PORT/", or "?" when it does not start so.
  std::string after_url_of(const std::string& host) const {
    const std::string prefix = "netlens: serving http://" + host + ":" + std::to_string(port()) + "/";
    return port() > 0 && first_line.rfind(prefix, 0) == 0 ? first_line.substr(prefix.size()) : "?";
  }
};

// The status line of GET `target` from 127.0.0.1:port, e.g. "HTTP/1.1 403 Forbidden".
std::string status_of_get(int port, const std::string& target) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return "connect failed";
  }
  const std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                              "\r\nConnection: close\r\n\r\n";
  EXPECT_EQ(write(fd, request.data(), request.size()), static_cast<ssize_t>(request.size()));
  std::string reply;
  char buf[4096];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) reply.append(buf, static_cast<std::size_t>(n));
  close(fd);
  return reply.substr(0, reply.find("\r\n"));
}

TEST(Serve, LoopbackNeedsNoToken) {
  Serve serve({"--port", "0"});
  EXPECT_EQ(serve.after_url_of("127.0.0.1"), "") << serve.first_line;
  EXPECT_EQ(status_of_get(serve.port(), "/missing.js"), "HTTP/1.1 404 Not Found");
  EXPECT_EQ(serve.stop(SIGINT), 0);
  EXPECT_EQ(serve.err(), "");
}

TEST(Serve, AnyOtherHostGetsAGeneratedTokenPrintedInTheUrl) {
  Serve serve({"--host", "0.0.0.0", "--port", "0"});
  const std::string query = serve.after_url_of("0.0.0.0");
  ASSERT_EQ(query.rfind("?token=", 0), 0u) << serve.first_line;
  const std::string token = query.substr(7);
  EXPECT_EQ(token.size(), 48u);
  EXPECT_EQ(token.find_first_not_of("0123456789abcdef"), std::string::npos) << token;
  EXPECT_EQ(status_of_get(serve.port(), "/missing.js"), "HTTP/1.1 403 Forbidden");
  EXPECT_EQ(status_of_get(serve.port(), "/missing.js?token=" + token), "HTTP/1.1 404 Not Found");
  EXPECT_EQ(serve.stop(SIGTERM), 0);
}

TEST(Serve, AGivenTokenIsUsedOnLoopbackToo) {
  Serve serve({"--port", "0", "--token", "mine"});
  EXPECT_NE(serve.first_line.find("/?token=mine"), std::string::npos) << serve.first_line;
  EXPECT_EQ(status_of_get(serve.port(), "/missing.js"), "HTTP/1.1 403 Forbidden");
  EXPECT_EQ(serve.stop(SIGTERM), 0);
}

TEST(Serve, AnEmptyTokenOnAnotherHostIsAnError) {
  Serve serve({"--host", "0.0.0.0", "--port", "0", "--token", ""});
  EXPECT_EQ(serve.first_line, "");
  EXPECT_EQ(serve.stop(0), 2);
  EXPECT_NE(serve.err().find("--token: an empty token would open 0.0.0.0 to anyone"), std::string::npos) << serve.err();
}

TEST(Serve, SigtermSavesThePlaygroundRunInProgressForRender) {
  namespace fs = std::filesystem;
  namespace net = boost::asio;
  namespace websocket = boost::beast::websocket;
  using nlohmann::json;
  const fs::path runs = test::scratch_dir() / "serve_runs";
  fs::remove_all(runs);
  Serve serve({"--port", "0", "--runs", runs.string()});
  ASSERT_GT(serve.port(), 0) << serve.first_line;

  // A tab that plays the default run past epoch 20 and is still open when the signal comes.
  net::io_context ioc;
  websocket::stream<net::ip::tcp::socket> ws(ioc);
  ws.next_layer().connect({net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(serve.port())});
  ws.handshake("127.0.0.1:" + std::to_string(serve.port()), "/ws");
  ws.write(net::buffer(std::string(R"({"type":"play"})")));
  int epoch = 0;
  while (epoch < 20) {
    boost::beast::flat_buffer buffer;
    ws.read(buffer);
    if (!ws.got_text()) continue;
    const json message = json::parse(boost::beast::buffers_to_string(buffer.data()));
    if (message["type"] == "state") epoch = message["epoch"];
  }
  EXPECT_EQ(serve.stop(SIGTERM), 0);

  // One run directory, named for its data set, whose last checkpoint is where the run was.
  std::vector<fs::path> saved(fs::directory_iterator(runs), fs::directory_iterator{});
  ASSERT_EQ(saved.size(), 1u) << serve.err();
  EXPECT_EQ(saved[0].filename().string().rfind("circle-", 0), 0u) << saved[0];
  EXPECT_NE(serve.err().find("netlens: saved the Playground run in progress (epoch "), std::string::npos) << serve.err();
  const json manifest = json::parse(std::ifstream(saved[0] / "manifest.json"));
  ASSERT_GE(manifest["checkpoints"].size(), 5u);
  EXPECT_GE(manifest["checkpoints"].back()["epoch"].get<int>(), 20);
  const std::string png = (runs / "last.png").string();
  const auto render = test::run_netlens("render --run " + saved[0].string() + " --checkpoint " +
                                        std::to_string(manifest["checkpoints"].size() - 1) + " --out " + png);
  EXPECT_EQ(render.status, 0) << render.err;
  EXPECT_GT(fs::file_size(png), 1000u);
  fs::remove_all(runs);
}

}  // namespace
}  // namespace netlens
