#pragma once
// MessageSocket: the WebSocket side of one live connection, the same for every endpoint. It
// accepts the upgrade, starts the endpoint's session, reads text messages piece by piece and
// hands each to the session, and writes one message at a time from an outbox: the session's
// messages in order, and when they are all written, its newest frame (older ones are skipped). A message over
// kMaxMessageBytes is read to its end without being kept and answered with an error; one over
// kMaxDrainedMessageBytes closes with 1009; binary messages are refused. A peer that sends
// faster than it reads its replies is read more slowly. close() says goodbye with a close frame.
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/steady_timer.hpp>

#include "server/net/beast.hpp"
#include "server/net/budget.hpp"
#include "server/net/connections.hpp"
#include "server/net/endpoint.hpp"

namespace netlens::server {

class MessageSocket final : public Connection, public Outbox, public std::enable_shared_from_this<MessageSocket> {
 public:
  // `slot` is this connection's place among the server's live sessions; `endpoint` and
  // `memory` must outlive this.
  MessageSocket(tcp::socket&& socket, Budget::Reservation slot, const Endpoint& endpoint, Budget& memory);
  ~MessageSocket() override;

  void start(Request request);  // the upgrade request, already checked
  void close() override;        // a close frame (going away), then the socket

  // Outbox, for the session's thread: each posts to this connection's strand.
  void send(Outgoing message) override;
  void newest_ready() override;

 private:
  void queue(Outgoing message);
  void reply_error(const std::string& message);  // an `error` that answers no command
  void write();
  // Runs `work` on this connection's strand if it is still open.
  template <class F>
  void post(F work) {
    net::post(ws_.get_executor(), [weak = weak_from_this(), work = std::move(work)]() mutable {
      if (auto self = weak.lock(); self && !self->ended_ && !self->closing_) work();
    });
  }

  void on_accept(beast::error_code ec);
  void read();
  void on_read(beast::error_code ec, std::size_t bytes);
  void close_gracefully(const websocket::close_reason& reason);
  void on_write(beast::error_code ec, std::size_t bytes);
  void end();

  void stop();  // ends the session: its thread is joined and calls this no more

  websocket::stream<beast::tcp_stream> ws_;
  const Endpoint& endpoint_;
  Budget& memory_;
  net::steady_timer close_timer_;
  beast::flat_buffer buffer_;
  std::size_t message_bytes_ = 0;  // of the message being read
  Budget::Reservation slot_;
  std::deque<Outgoing> outbox_;  // the message being written is at the front
  bool accepted_ = false;  // the handshake's response is written
  bool writing_ = false;
  bool newest_ready_ = false;  // the session has a newest frame, announced after what it sent before
  bool reading_paused_ = false;
  bool closing_ = false;
  bool ended_ = false;
  std::unique_ptr<ViewSession> session_;  // last: its thread may still post here while it stops
};

}  // namespace netlens::server
