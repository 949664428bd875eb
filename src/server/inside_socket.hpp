#pragma once
// InsideSocket: one WebSocket connection at /ws/inside and the InsideSession it owns. It reads
// the client's JSON commands, hands them to the session, and writes the session's messages in
// order. Picture frames the socket was too busy for are dropped (the newest is kept).
#include <deque>
#include <memory>
#include <string>

#include "server/beast.hpp"
#include "server/budget.hpp"
#include "server/connections.hpp"
#include "server/inside_session.hpp"

namespace netlens::server {

class InsideSocket : public Connection, public std::enable_shared_from_this<InsideSocket> {
 public:
  InsideSocket(tcp::socket&& socket, Budget::Reservation slot);
  ~InsideSocket() override;

  void start(Request request);  // the upgrade request, already checked
  void close() override;

 private:
  struct Outgoing {
    std::string bytes;
    bool binary;
  };

  void on_accept(beast::error_code ec);
  void read();
  void on_read(beast::error_code ec, std::size_t bytes);
  void queue(std::string bytes, bool binary);
  void write();
  void on_write(beast::error_code ec, std::size_t bytes);
  void end();

  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  Budget::Reservation slot_;  // this connection's place among the server's live sessions
  std::unique_ptr<InsideSession> session_;
  std::deque<Outgoing> outbox_;  // the message being written is at the front
  bool writing_ = false;
  bool ended_ = false;
};

}  // namespace netlens::server
