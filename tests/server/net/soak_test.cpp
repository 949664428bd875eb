// Soak: the real `netlens serve` (NETLENS_BIN) on loopback with 50 WebSocket clients for 60 s
// while every session trains: 30 read at full speed, 10 read slowly (a message, then a nap),
// 10 drop their connection at random (abruptly or with a close frame) and come back with a new
// spec. It asserts that the server stays up and says nothing on stderr but the runs it saved as
// their sessions ended, that no client gets an error or loses its connection unasked, that the
// server's resident memory at the end is within 10 % of what it was after warm-up, and that
// every session thread is gone once the clients are.
// Label soak: `make test-soak` runs it alone (ctest -L soak). NETLENS_SOAK_SECONDS shortens it.
#include <signal.h>
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/serve_process.hpp"
#include "support/scratch.hpp"

namespace soak_test {
namespace {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace fs = std::filesystem;
using tcp = net::ip::tcp;
using nlohmann::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr int kClients = 50, kSlow = 10, kChurn = 10;  // the rest read at full speed
constexpr auto kWarmUp = 15s;

std::chrono::seconds soak_time() {
  const char* s = std::getenv("NETLENS_SOAK_SECONDS");
  return std::chrono::seconds(s ? std::atoi(s) : 60);
}

// `netlens serve --port 0` with its memory and session threads read from /proc.
class ServerProcess : public netlens::test::ServeProcess {
 public:
  explicit ServerProcess(const fs::path& runs)
      : ServeProcess({"--port", "0", "--web-root", "/nonexistent", "--runs", runs.string()}) {
    if (first_line.rfind("netlens: serving http://127.0.0.1:", 0) != 0)
      throw std::runtime_error("unexpected first line: " + first_line);
  }

  // stderr but its "saved the Playground run" lines (and retention's removals), and how many saves there were.
  std::pair<std::string, int> err_but_saved_runs() const {
    std::istringstream lines(err());
    std::string rest;
    int saved = 0;
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("netlens: saved the Playground run in progress", 0) == 0)
        ++saved;
      else if (line.rfind("netlens: removed the automatic save", 0) == 0)
        continue;  // retention: only the newest 200 unstarred saves are kept
      else
        rest += line + "\n";
    }
    return {rest, saved};
  }

  // VmRSS from /proc/PID/status, in KiB.
  long rss_kib() const {
    std::ifstream status("/proc/" + std::to_string(pid()) + "/status");
    for (std::string line; std::getline(status, line);)
      if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    return -1;
  }

  bool alive() const { return kill(pid(), 0) == 0; }

  int session_threads() const {
    int n = 0;
    for (const auto& task : fs::directory_iterator("/proc/" + std::to_string(pid()) + "/task")) {
      std::string name;
      std::getline(std::ifstream(task.path() / "comm"), name);
      n += name == "netlens session";
    }
    return n;
  }
};

struct Tally {
  long messages = 0, reconnects = 0;
  std::vector<std::string> failures;  // what no client should see
};

enum class Role { Fast, Slow, Churn };

// One client: connects, says play, then reads by its role until stop() ; a churner also drops
// its connection at random times and comes back.
class Client : public std::enable_shared_from_this<Client> {
 public:
  Client(net::io_context& ioc, unsigned short port, Role role, unsigned seed, Tally& tally)
      : ioc_(ioc), port_(port), role_(role), rng_(seed), timer_(ioc), tally_(tally) {}

  void start() { connect(); }

  void stop() {
    stopping_ = true;
    timer_.cancel();
    if (ws_ && ws_->is_open())
      ws_->async_close(websocket::close_code::normal, [self = shared_from_this()](beast::error_code) {});
  }

 private:
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  void connect() {
    ws_ = std::make_unique<websocket::stream<beast::tcp_stream>>(ioc_);
    generation_++;
    const tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), port_);
    beast::get_lowest_layer(*ws_).async_connect(endpoint, [self = shared_from_this(), g = generation_](beast::error_code ec) {
      if (g != self->generation_) return;
      if (ec) return self->fail("connect: " + ec.message());
      self->ws_->async_handshake("127.0.0.1:" + std::to_string(self->port_), "/ws", [self, g](beast::error_code ec2) {
        if (g != self->generation_) return;
        if (ec2) return self->fail("handshake: " + ec2.message());
        self->on_open();
      });
    });
  }

  void on_open() {
    // A churner comes back with another run, then plays; the others just play.
    if (role_ == Role::Churn) {
      static const char* sets[] = {"circle", "xor", "gauss", "spiral"};
      send(json{{"type", "set_spec"}, {"spec", {{"dataset", sets[uniform(0, 3)]}}}}.dump());
      schedule_drop();
    }
    send(R"({"type":"play"})");
    read();
  }

  void send(std::string text) {
    outbox_.push_back(std::move(text));
    if (outbox_.size() == 1) write();
  }

  void write() {
    ws_->text(true);
    ws_->async_write(net::buffer(outbox_.front()), [self = shared_from_this(), g = generation_](beast::error_code ec, std::size_t) {
      if (g != self->generation_) return;
      if (ec) return self->fail("write: " + ec.message());
      self->outbox_.pop_front();
      if (!self->outbox_.empty()) self->write();
    });
  }

  void read() {
    buffer_.clear();
    ws_->async_read(buffer_, [self = shared_from_this(), g = generation_](beast::error_code ec, std::size_t) {
      if (g != self->generation_) return;
      if (ec) return self->fail("read: " + ec.message());
      ++self->tally_.messages;
      if (self->ws_->got_text()) {
        const json m = json::parse(beast::buffers_to_string(self->buffer_.data()), nullptr, false);
        if (m.is_discarded() || m.value("type", "") == "error")
          self->tally_.failures.push_back("message: " + beast::buffers_to_string(self->buffer_.data()).substr(0, 200));
      }
      if (self->role_ == Role::Slow) {
        self->timer_.expires_after(std::chrono::milliseconds(self->uniform(50, 400)));
        self->timer_.async_wait([self, g](beast::error_code e) {
          if (!e && g == self->generation_ && !self->stopping_) self->read();
        });
      } else {
        self->read();
      }
    });
  }

  void schedule_drop() {
    timer_.expires_after(std::chrono::milliseconds(uniform(300, 3000)));
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || self->stopping_) return;
      self->drop();
    });
  }

  // Half the time abruptly (the TCP socket closed, perhaps mid-frame), half with a close frame.
  void drop() {
    ++tally_.reconnects;
    auto old = std::move(ws_);
    ++generation_;
    outbox_.clear();
    if (uniform(0, 1)) {
      beast::error_code ec;
      beast::get_lowest_layer(*old).socket().close(ec);
    } else {
      auto* raw = old.get();
      raw->async_close(websocket::close_code::normal, [keep = std::shared_ptr<void>(std::move(old))](beast::error_code) {});
    }
    connect();
  }

  void fail(const std::string& what) {
    if (stopping_ || what.find("Operation canceled") != std::string::npos) return;
    tally_.failures.push_back("client " + std::to_string(static_cast<int>(role_)) + ": " + what);
  }

  net::io_context& ioc_;
  unsigned short port_;
  Role role_;
  std::mt19937 rng_;
  net::steady_timer timer_;
  Tally& tally_;
  std::unique_ptr<websocket::stream<beast::tcp_stream>> ws_;
  beast::flat_buffer buffer_;
  std::deque<std::string> outbox_;
  int generation_ = 0;  // handlers of an earlier connection see another value and stand down
  bool stopping_ = false;
};

TEST(Soak, FiftyClientsForAMinuteLeaveTheServerUpWithSteadyMemory) {
  const fs::path runs = netlens::test::scratch_dir() / "soak_runs";
  fs::remove_all(runs);
  ServerProcess server(runs);
  net::io_context ioc;
  Tally tally;
  std::vector<std::shared_ptr<Client>> clients;
  for (int i = 0; i < kClients; ++i) {
    const Role role = i < kChurn ? Role::Churn : i < kChurn + kSlow ? Role::Slow : Role::Fast;
    clients.push_back(std::make_shared<Client>(ioc, static_cast<unsigned short>(server.port()), role, 1000u + static_cast<unsigned>(i), tally));
    clients.back()->start();
  }
  ioc.run_for(kWarmUp);
  const long warm_kib = server.rss_kib();
  const long warm_messages = tally.messages;
  ioc.run_for(soak_time());
  const long end_kib = server.rss_kib();
  ASSERT_TRUE(server.alive());
  for (auto& c : clients) c->stop();
  ioc.run_for(5s);

  // Each closing session saves its run and prunes the automatic saves past the newest 200: with
  // fifty closing at once on two cores, that takes tens of seconds (the time is printed).
  const auto closing = Clock::now();
  const auto deadline = closing + 120s;
  while (server.session_threads() > 0 && Clock::now() < deadline) std::this_thread::sleep_for(50ms);
  const int threads_left = server.session_threads();
  std::printf("soak: the sessions' threads ended %.1f s after the clients left\n",
              5 + std::chrono::duration<double>(Clock::now() - closing).count());
  const long closed_kib = server.rss_kib();
  std::printf("soak: %d clients for %lld s: RSS %.1f MiB after warm-up, %.1f MiB at the end (%+.1f %%), %.1f MiB "
              "once all closed; %ld messages after warm-up, %ld reconnects\n",
              kClients, static_cast<long long>(soak_time().count()), warm_kib / 1024.0, end_kib / 1024.0,
              100.0 * (end_kib - warm_kib) / warm_kib, closed_kib / 1024.0, tally.messages - warm_messages,
              tally.reconnects);

  EXPECT_EQ(threads_left, 0);
  EXPECT_LE(end_kib, warm_kib * 11 / 10) << "resident memory grew more than 10 % after warm-up";
  EXPECT_GT(tally.messages - warm_messages, 1000);
  EXPECT_GT(tally.reconnects, 10);
  for (const auto& f : tally.failures) ADD_FAILURE() << f;
  EXPECT_EQ(server.stop(SIGTERM), 0);
  // Every session that trained saved its run: one directory per line saying so, of which the
  // newest 200 (serve --keep-runs) are kept.
  const auto [err, saved] = server.err_but_saved_runs();
  EXPECT_EQ(err, "");
  const auto dirs = std::distance(fs::directory_iterator(runs), fs::directory_iterator{});
  std::printf("soak: %d runs saved as their sessions ended\n", saved);
  EXPECT_EQ(dirs, std::min(saved, 200));
  EXPECT_GE(saved, kClients);
  fs::remove_all(runs);
}

}  // namespace
}  // namespace soak_test
