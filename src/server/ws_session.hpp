#pragma once
// WsSession: the Playground's connection at /ws and the LiveSession it owns. Commands go to
// the LiveSession (server/dispatch); out go queued replies first, then the newest frame (spec
// and data first when the frame starts a new run). Frames the socket was too busy for are
// skipped.
#include <filesystem>
#include <memory>
#include <string>

#include "server/live_session.hpp"
#include "server/message_socket.hpp"

namespace netlens::server {

class WsSession : public MessageSocket {
 public:
  // `memory` is the budget this connection's runs reserve in (it must outlive this); the run in
  // progress is saved under `runs_dir` when the connection ends (none if empty).
  WsSession(tcp::socket&& socket, Budget::Reservation slot, Budget& memory, std::filesystem::path runs_dir);
  ~WsSession() override;

 private:
  void open() override;
  std::optional<std::string> handle(std::string_view text) override;
  void refill() override;  // the newest frame, if not sent yet
  void stop() override;

  Budget& memory_;
  std::filesystem::path runs_dir_;
  std::unique_ptr<LiveSession> live_;
  std::shared_ptr<const Frame> sent_frame_;
  std::shared_ptr<const RunMessages> sent_run_;
};

}  // namespace netlens::server
