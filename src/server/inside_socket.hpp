#pragma once
// InsideSocket: the Inside view's connection at /ws/inside and the InsideSession it owns. It
// hands the client's JSON commands to the session and writes the session's messages in order,
// except picture frames: only the newest waits for the socket, older ones are dropped.
#include <memory>
#include <string>

#include "server/inside_session.hpp"
#include "server/message_socket.hpp"

namespace netlens::server {

class InsideSocket : public MessageSocket {
 public:
  InsideSocket(tcp::socket&& socket, Budget::Reservation slot);
  ~InsideSocket() override;

 private:
  void open() override;
  std::optional<std::string> handle(std::string_view text) override;
  void refill() override;  // the newest picture frame, if one waits
  void stop() override;

  std::unique_ptr<InsideSession> session_;
  std::shared_ptr<const std::string> pictures_;  // the newest picture frame not yet queued
};

}  // namespace netlens::server
