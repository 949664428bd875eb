#pragma once
// MessageSocket: the WebSocket side of one live connection, shared by every endpoint (/ws,
// /ws/digits). It accepts the upgrade, reads text messages piece by piece and hands each to
// the endpoint, and writes one message at a time from an outbox. A message over
// kMaxMessageBytes is read to its end without being kept and answered with an error; one over
// kMaxDrainedMessageBytes closes with 1009; binary messages are refused. A peer that sends
// faster than it reads its replies is read more slowly. close() says goodbye with a close frame.
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/steady_timer.hpp>

#include "server/beast.hpp"
#include "server/budget.hpp"
#include "server/connections.hpp"

namespace netlens::server {

class MessageSocket : public Connection, public std::enable_shared_from_this<MessageSocket> {
 public:
  // `slot` is this connection's place among the server's live sessions.
  MessageSocket(tcp::socket&& socket, Budget::Reservation slot);
  ~MessageSocket() override;

  void start(Request request);  // the upgrade request, already checked
  void close() override;        // a close frame (going away), then the socket

 protected:
  // After the handshake: builds the endpoint's session and queues its greeting. An exception
  // closes the connection with 1013 (try again later) and its text as the reason.
  virtual void open() = 0;
  // One complete text message; returns the `error` reply's text when it is refused.
  virtual std::optional<std::string> handle(std::string_view text) = 0;
  // The outbox ran empty: queue what is newest (a frame), if anything.
  virtual void refill() {}
  // The connection is over: stop the endpoint's session (its thread must not post here again).
  virtual void stop() = 0;

  void queue(std::shared_ptr<const std::string> bytes, bool binary);
  void queue_text(std::string text) { queue(std::make_shared<const std::string>(std::move(text)), false); }
  void reply_error(const std::string& message);  // an `error` message with this text
  void write();
  // Runs `work` on this connection's strand if it is still open; for session threads.
  template <class F>
  void post(F work) {
    net::post(ws_.get_executor(), [weak = weak_from_this(), work = std::move(work)]() mutable {
      if (auto self = weak.lock(); self && !self->ended_ && !self->closing_) work();
    });
  }

 private:
  struct Outgoing {
    std::shared_ptr<const std::string> bytes;
    bool binary;
  };

  void on_accept(beast::error_code ec);
  void read();
  void on_read(beast::error_code ec, std::size_t bytes);
  void close_gracefully(const websocket::close_reason& reason);
  void on_write(beast::error_code ec, std::size_t bytes);
  void end();

  websocket::stream<beast::tcp_stream> ws_;
  net::steady_timer close_timer_;
  beast::flat_buffer buffer_;
  std::size_t message_bytes_ = 0;  // of the message being read
  Budget::Reservation slot_;
  std::deque<Outgoing> outbox_;  // the message being written is at the front
  bool accepted_ = false;  // the handshake's response is written
  bool writing_ = false;
  bool reading_paused_ = false;
  bool closing_ = false;
  bool ended_ = false;
};

}  // namespace netlens::server
