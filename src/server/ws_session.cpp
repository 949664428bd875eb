#include "server/ws_session.hpp"

#include <chrono>
#include <exception>
#include <iostream>

#include "core/error.hpp"
#include "server/dispatch.hpp"
#include "server/protocol.hpp"

namespace netlens::server {

namespace {

constexpr std::size_t kMaxOutbox = 32;  // replies waiting to be written before reading pauses
constexpr std::size_t kReadChunk = 64 * 1024;  // bytes per read: what an oversize message costs in memory
constexpr auto kCloseTimeout = std::chrono::seconds(2);  // for the peer to answer the close frame
constexpr int kSendBufferBytes = 128 * 1024;  // Linux doubles it: about 6 heatmaps in flight

}  // namespace

WsSession::WsSession(tcp::socket&& socket, Budget::Reservation slot, Budget& memory)
    : ws_(std::move(socket)), close_timer_(ws_.get_executor()), slot_(std::move(slot)), memory_(memory) {}

WsSession::~WsSession() = default;

void WsSession::start(Request request) {
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
  ws_.async_accept(request, beast::bind_front_handler(&WsSession::on_accept, shared_from_this()));
}

void WsSession::close() {
  net::post(ws_.get_executor(),
            [self = shared_from_this()] { self->close_gracefully({websocket::close_code::going_away, "server stopping"}); });
}

// Stops the session thread, then says goodbye with a close frame; a peer that does not answer
// (or never reads) within kCloseTimeout is cut off.
void WsSession::close_gracefully(const websocket::close_reason& reason) {
  if (ended_ || closing_) return;
  closing_ = true;
  live_.reset();
  close_timer_.expires_after(kCloseTimeout);
  close_timer_.async_wait([self = shared_from_this()](beast::error_code) { self->end(); });
  ws_.async_close(reason, [self = shared_from_this()](beast::error_code) { self->end(); });
}

void WsSession::on_accept(beast::error_code ec) {
  if (ec) return end();
  try {
    std::weak_ptr<WsSession> weak = weak_from_this();
    auto executor = ws_.get_executor();
    // The callbacks run on the session thread: they only post work to this connection's strand.
    live_ = std::make_unique<LiveSession>(
        train::RunSpec{},
        [weak, executor] {
          net::post(executor, [weak] {
            if (auto self = weak.lock()) self->write();
          });
        },
        [weak, executor](const std::string& message) {
          net::post(executor, [weak, message] {
            if (auto self = weak.lock()) self->reply_error(message);
          });
        },
        [weak, executor](const std::string& message) {
          net::post(executor, [weak, message] {
            if (auto self = weak.lock()) self->reply(message);
          });
        },
        &memory_);
  } catch (const std::exception& e) {
    // The memory budget is spent, say: the close frame tells the page why (at most 123 bytes).
    std::cerr << "netlens: cannot start a session: " << e.what() << "\n";
    return close_gracefully({websocket::close_code::try_again_later, excerpt(e.what(), 120)});
  }
  // The greeting goes first, whatever the peer sends meanwhile: hello, spec, data, a frame.
  outbox_.push_back({std::make_shared<const std::string>(hello_message()), false});
  queue_newest_frame();
  read();
  write();
}

void WsSession::read() {
  reading_paused_ = false;
  ws_.async_read_some(buffer_, kReadChunk, beast::bind_front_handler(&WsSession::on_read, shared_from_this()));
}

// Reads a message piece by piece; past kMaxMessageBytes the pieces are dropped as they come, so
// an oversize message costs one piece of memory and gets an error at its end.
void WsSession::on_read(beast::error_code ec, std::size_t bytes) {
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
  } else if (auto error = dispatch_message(*live_, beast::buffers_to_string(buffer_.data()))) {
    reply_error(*error);
  }
  buffer_.consume(buffer_.size());
  message_bytes_ = 0;
  // A peer that sends faster than it reads its replies waits until they are written.
  if (outbox_.size() < kMaxOutbox)
    read();
  else
    reading_paused_ = true;
}

void WsSession::reply_error(const std::string& message) { reply(error_message(message)); }

void WsSession::reply(const std::string& message) {
  if (ended_ || closing_) return;
  outbox_.push_back({std::make_shared<const std::string>(message), false});
  write();
}

// Writes the front of the outbox; when it is empty, the newest frame if it was not sent yet.
void WsSession::write() {
  if (writing_ || ended_ || closing_) return;
  if (outbox_.empty()) queue_newest_frame();
  if (outbox_.empty()) return;
  writing_ = true;
  ws_.binary(outbox_.front().binary);
  ws_.async_write(net::buffer(*outbox_.front().bytes),
                  beast::bind_front_handler(&WsSession::on_write, shared_from_this()));
}

void WsSession::on_write(beast::error_code ec, std::size_t) {
  writing_ = false;
  if (ec) return end();
  outbox_.pop_front();
  if (reading_paused_ && !ended_ && !closing_ && outbox_.size() < kMaxOutbox) read();
  write();
}

void WsSession::queue_newest_frame() {
  if (!live_) return;
  auto frame = live_->frame();
  if (frame == sent_frame_) return;
  // Aliasing shared_ptrs: each message keeps its frame (or run) alive while it is written.
  if (frame->run != sent_run_) {
    outbox_.push_back({std::shared_ptr<const std::string>(frame->run, &frame->run->spec), false});
    outbox_.push_back({std::shared_ptr<const std::string>(frame->run, &frame->run->data), false});
    sent_run_ = frame->run;
  }
  outbox_.push_back({std::shared_ptr<const std::string>(frame, &frame->state), false});
  outbox_.push_back({std::shared_ptr<const std::string>(frame, &frame->body), true});
  sent_frame_ = std::move(frame);
}

// Stops the session thread and closes the socket; pending reads and writes then finish with
// errors and release this.
void WsSession::end() {
  if (ended_) return;
  ended_ = true;
  live_.reset();
  close_timer_.cancel();
  beast::get_lowest_layer(ws_).close();
}

}  // namespace netlens::server
