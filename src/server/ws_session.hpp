#pragma once
// WsSession: one WebSocket connection at /ws and the LiveSession it owns. It reads commands,
// hands them to the LiveSession, and writes one message at a time: queued replies first, then
// the newest frame (spec and data first when the frame starts a new run). Frames the socket
// was too busy for are skipped.
#include <deque>
#include <memory>
#include <string>

#include "server/beast.hpp"
#include "server/connections.hpp"
#include "server/live_session.hpp"

namespace netlens::server {

class WsSession : public Connection, public std::enable_shared_from_this<WsSession> {
 public:
  explicit WsSession(tcp::socket&& socket);
  ~WsSession() override;

  void start(Request request);  // the upgrade request, already checked
  void close() override;

 private:
  struct Outgoing {
    std::shared_ptr<const std::string> bytes;
    bool binary;
  };

  void on_accept(beast::error_code ec);
  void read();
  void on_read(beast::error_code ec, std::size_t bytes);
  void handle(const std::string& text);
  void reply_error(const std::string& message);  // an error message with this text
  void reply(const std::string& message);        // a whole message
  void write();
  void on_write(beast::error_code ec, std::size_t bytes);
  void queue_newest_frame();
  void end();

  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  std::unique_ptr<LiveSession> live_;
  std::deque<Outgoing> outbox_;  // the message being written is at the front
  std::shared_ptr<const Frame> sent_frame_;
  std::shared_ptr<const RunMessages> sent_run_;
  bool writing_ = false;
  bool reading_paused_ = false;
  bool ended_ = false;
};

}  // namespace netlens::server
