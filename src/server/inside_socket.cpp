#include "server/inside_socket.hpp"

#include <chrono>
#include <exception>
#include <iostream>

#include "core/error.hpp"
#include "server/protocol.hpp"

namespace netlens::server {

namespace {
constexpr std::size_t kMaxQueued = 64;  // beyond this, the oldest waiting picture frame is dropped

bool is_pictures(const std::string& bytes) { return bytes.compare(0, 4, "NLIN") == 0; }
}  // namespace

InsideSocket::InsideSocket(tcp::socket&& socket, Budget::Reservation slot)
    : ws_(std::move(socket)), slot_(std::move(slot)) {}

InsideSocket::~InsideSocket() = default;

void InsideSocket::start(Request request) {
  beast::get_lowest_layer(ws_).expires_never();
  auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
  timeouts.idle_timeout = std::chrono::seconds(60);
  timeouts.keep_alive_pings = true;
  ws_.set_option(timeouts);
  ws_.read_message_max(kMaxMessageBytes);
  ws_.async_accept(request, beast::bind_front_handler(&InsideSocket::on_accept, shared_from_this()));
}

void InsideSocket::close() {
  net::post(ws_.get_executor(), [self = shared_from_this()] { self->end(); });
}

void InsideSocket::on_accept(beast::error_code ec) {
  if (ec) return end();
  std::weak_ptr<InsideSocket> weak = weak_from_this();
  auto executor = ws_.get_executor();
  try {
    session_ = std::make_unique<InsideSession>([weak, executor](std::string bytes, bool binary) {
      net::post(executor, [weak, bytes = std::move(bytes), binary]() mutable {
        if (auto self = weak.lock()) self->queue(std::move(bytes), binary);
      });
    });
  } catch (const std::exception& e) {
    std::cerr << "netlens: cannot start an inside session: " << e.what() << "\n";
    return end();
  }
  read();
}

void InsideSocket::read() {
  ws_.async_read(buffer_, beast::bind_front_handler(&InsideSocket::on_read, shared_from_this()));
}

void InsideSocket::on_read(beast::error_code ec, std::size_t) {
  if (ec || ended_) return end();
  try {
    if (!ws_.got_text()) throw Error("message", "binary messages are not accepted; send JSON text");
    session_->handle(beast::buffers_to_string(buffer_.data()));
  } catch (const Error& e) {
    queue(error_message(e.what()), false);
  }
  buffer_.consume(buffer_.size());
  read();
}

void InsideSocket::queue(std::string bytes, bool binary) {
  if (ended_) return;
  // A slow reader: drop the oldest waiting picture frame (never the one being written).
  if (outbox_.size() >= kMaxQueued)
    for (auto it = outbox_.begin() + 1; it != outbox_.end(); ++it)
      if (it->binary && is_pictures(it->bytes)) {
        outbox_.erase(it);
        break;
      }
  outbox_.push_back({std::move(bytes), binary});
  write();
}

void InsideSocket::write() {
  if (writing_ || ended_ || outbox_.empty()) return;
  writing_ = true;
  ws_.binary(outbox_.front().binary);
  ws_.async_write(net::buffer(outbox_.front().bytes), beast::bind_front_handler(&InsideSocket::on_write, shared_from_this()));
}

void InsideSocket::on_write(beast::error_code ec, std::size_t) {
  writing_ = false;
  if (ec) return end();
  outbox_.pop_front();
  write();
}

void InsideSocket::end() {
  if (ended_) return;
  ended_ = true;
  session_.reset();
  beast::get_lowest_layer(ws_).close();
}

}  // namespace netlens::server
