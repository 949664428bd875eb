#pragma once
// DigitsSocket: the Digits view's connection at /ws/digits and the DigitsSession it owns. It
// hands the client's JSON commands to the session and writes the session's messages in order,
// except activation frames: only the newest waits for the socket, older ones are dropped.
#include <memory>
#include <string>

#include "server/digits_session.hpp"
#include "server/message_socket.hpp"

namespace netlens::server {

class DigitsSocket : public MessageSocket {
 public:
  DigitsSocket(tcp::socket&& socket, Budget::Reservation slot, DigitsOptions options);
  ~DigitsSocket() override;

 private:
  void open() override;
  std::optional<std::string> handle(std::string_view text) override;
  void refill() override;  // the newest activation frame, if one waits
  void stop() override;

  DigitsOptions options_;
  std::unique_ptr<DigitsSession> session_;
  std::shared_ptr<const std::string> activations_;  // the newest activation frame not yet queued
};

}  // namespace netlens::server
