#pragma once
// WsSession: one WebSocket connection at /ws and the LiveSession it owns. It reads commands,
// hands them to the LiveSession, and writes one message at a time: queued replies first, then
// the newest frame (spec and data first when the frame starts a new run). Frames the socket
// was too busy for are skipped. A message over kMaxMessageBytes is read to its end without
// being kept and answered with an error; the connection goes on.
#include <deque>
#include <memory>
#include <string>

#include <boost/asio/steady_timer.hpp>

#include "server/beast.hpp"
#include "server/budget.hpp"
#include "server/connections.hpp"
#include "server/live_session.hpp"

namespace netlens::server {

class WsSession : public Connection, public std::enable_shared_from_this<WsSession> {
 public:
  // `slot` is this connection's place among the server's live sessions; `memory` the budget its
  // runs reserve in (it must outlive this).
  WsSession(tcp::socket&& socket, Budget::Reservation slot, Budget& memory);
  ~WsSession() override;

  void start(Request request);  // the upgrade request, already checked
  void close() override;        // a close frame (going away), then the socket

 private:
  struct Outgoing {
    std::shared_ptr<const std::string> bytes;
    bool binary;
  };

  void on_accept(beast::error_code ec);
  void read();
  void on_read(beast::error_code ec, std::size_t bytes);
  void close_gracefully(const websocket::close_reason& reason);
  void reply_error(const std::string& message);  // an error message with this text
  void reply(const std::string& message);        // a whole message
  void write();
  void on_write(beast::error_code ec, std::size_t bytes);
  void queue_newest_frame();
  void end();

  websocket::stream<beast::tcp_stream> ws_;
  net::steady_timer close_timer_;
  beast::flat_buffer buffer_;
  std::size_t message_bytes_ = 0;  // of the message being read
  Budget::Reservation slot_;
  Budget& memory_;
  std::unique_ptr<LiveSession> live_;
  std::deque<Outgoing> outbox_;  // the message being written is at the front
  std::shared_ptr<const Frame> sent_frame_;
  std::shared_ptr<const RunMessages> sent_run_;
  bool writing_ = false;
  bool reading_paused_ = false;
  bool closing_ = false;
  bool ended_ = false;
};

}  // namespace netlens::server
