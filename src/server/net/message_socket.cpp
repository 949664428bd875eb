#include "server/net/message_socket.hpp"

#include <chrono>
#include <exception>
#include <iostream>

#include "core/error.hpp"
#include "server/common/wire.hpp"

namespace netlens::server {

namespace {

constexpr std::size_t kMaxOutbox = 32;  // replies waiting to be written before reading pauses
constexpr std::size_t kReadChunk = 64 * 1024;  // bytes per read: what an oversize message costs in memory
constexpr auto kCloseTimeout = std::chrono::seconds(2);  // for the peer to answer the close frame
constexpr int kSendBufferBytes = 128 * 1024;  // Linux doubles it: about 6 Playground frames in flight

}  // namespace

MessageSocket::MessageSocket(tcp::socket&& socket, Budget::Reservation slot, const Endpoint& endpoint, Budget& memory)
    : ws_(std::move(socket)), endpoint_(endpoint), memory_(memory), close_timer_(ws_.get_executor()), slot_(std::move(slot)) {}

MessageSocket::~MessageSocket() = default;

void MessageSocket::start(Request request) {
  beast::get_lowest_layer(ws_).expires_never();  // the websocket stream keeps its own timers
  // A small send buffer keeps a slow reader's frames fresh: the kernel would otherwise queue
  // megabytes of stale ones, seconds behind, and the keep-alive ping behind them (a reader that
  // cannot get it within the idle timeout is cut off as gone).
  beast::error_code ec;
  beast::get_lowest_layer(ws_).socket().set_option(net::socket_base::send_buffer_size(kSendBufferBytes), ec);
  auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
  timeouts.idle_timeout = std::chrono::seconds(60);  // a peer that answers no ping for 60 s is gone
  timeouts.keep_alive_pings = true;
  ws_.set_option(timeouts);
  ws_.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(http::field::server, "netlens"); }));
  ws_.read_message_max(kMaxDrainedMessageBytes);  // larger: Beast closes with 1009 (message too big)
  ws_.async_accept(request, beast::bind_front_handler(&MessageSocket::on_accept, shared_from_this()));
}

void MessageSocket::close() {
  net::post(ws_.get_executor(), [self = shared_from_this()] {
    self->close_gracefully({websocket::close_code::going_away, "server stopping"});
  });
}

// Stops the session, then says goodbye with a close frame; a peer that does not answer (or
// never reads) within kCloseTimeout is cut off. Before the handshake has finished there is no
// WebSocket to close (and Beast may still be writing its response): the socket just closes.
void MessageSocket::close_gracefully(const websocket::close_reason& reason) {
  if (ended_ || closing_) return;
  if (!accepted_) return end();
  closing_ = true;
  stop();
  close_timer_.expires_after(kCloseTimeout);
  close_timer_.async_wait([self = shared_from_this()](beast::error_code) { self->end(); });
  ws_.async_close(reason, [self = shared_from_this()](beast::error_code) { self->end(); });
}

void MessageSocket::on_accept(beast::error_code ec) {
  if (ec || ended_) return end();  // ended: the server stopped during the handshake
  accepted_ = true;
  try {
    session_ = endpoint_.open(*this, memory_);
  } catch (const std::exception& e) {
    // The memory budget is spent, say: the close frame tells the page why (at most 123 bytes).
    std::cerr << "netlens: cannot start a session: " << e.what() << "\n";
    return close_gracefully({websocket::close_code::try_again_later, excerpt(e.what(), 120)});
  }
  read();
  write();
}

void MessageSocket::read() {
  reading_paused_ = false;
  ws_.async_read_some(buffer_, kReadChunk, beast::bind_front_handler(&MessageSocket::on_read, shared_from_this()));
}

// Reads a message piece by piece; past kMaxMessageBytes the pieces are dropped as they come, so
// an oversize message costs one piece of memory and gets an error at its end.
void MessageSocket::on_read(beast::error_code ec, std::size_t bytes) {
  if (ec) return end();  // closed by the peer, over kMaxDrainedMessageBytes (closed with 1009), or aborted
  if (ended_ || closing_) return;
  message_bytes_ += bytes;
  if (message_bytes_ > kMaxMessageBytes) buffer_.consume(buffer_.size());
  if (!ws_.is_message_done()) return read();
  if (message_bytes_ > kMaxMessageBytes) {
    reply_error("message: too large: " + std::to_string(message_bytes_) + " bytes; at most " +
                std::to_string(kMaxMessageBytes) + " (1 MiB) per message");
  } else if (!ws_.got_text()) {
    reply_error("message: binary messages are not accepted; send JSON text");
  } else {
    session_->receive(beast::buffers_to_string(buffer_.data()));
  }
  buffer_.consume(buffer_.size());
  message_bytes_ = 0;
  // A peer that sends faster than it reads its replies waits until they are written.
  if (outbox_.size() < kMaxOutbox)
    read();
  else
    reading_paused_ = true;
}

void MessageSocket::reply_error(const std::string& message) {
  queue({std::make_shared<const std::string>(error_message(std::nullopt, message)), false});
}

void MessageSocket::send(Outgoing message) {
  post([this, message = std::move(message)]() mutable { queue(std::move(message)); });
}

// Posted like send(), so that what the session sent before its newest frame is queued first.
void MessageSocket::newest_ready() {
  post([this] {
    newest_ready_ = true;
    write();
  });
}

void MessageSocket::queue(Outgoing message) {
  if (ended_ || closing_) return;
  outbox_.push_back(std::move(message));
  write();
}

// Writes the front of the outbox; when it is empty, the session's newest frame, if any.
void MessageSocket::write() {
  if (writing_ || ended_ || closing_) return;
  if (outbox_.empty() && newest_ready_ && session_) {
    newest_ready_ = false;
    for (auto& message : session_->take_newest()) outbox_.push_back(std::move(message));
  }
  if (outbox_.empty()) return;
  writing_ = true;
  ws_.binary(outbox_.front().binary);
  ws_.async_write(net::buffer(*outbox_.front().bytes),
                  beast::bind_front_handler(&MessageSocket::on_write, shared_from_this()));
}

void MessageSocket::on_write(beast::error_code ec, std::size_t) {
  writing_ = false;
  if (ec) return end();
  outbox_.pop_front();
  if (reading_paused_ && !ended_ && !closing_ && outbox_.size() < kMaxOutbox) read();
  write();
}

// Joins the session's thread: after this, it calls this connection no more.
void MessageSocket::stop() { session_.reset(); }

// Stops the session and closes the socket; pending reads and writes then finish with errors
// and release this.
void MessageSocket::end() {
  if (ended_) return;
  ended_ = true;
  stop();
  close_timer_.cancel();
  beast::get_lowest_layer(ws_).close();
}

}  // namespace netlens::server
