#include "server/ws_session.hpp"

#include "server/dispatch.hpp"
#include "server/protocol.hpp"

namespace netlens::server {

WsSession::WsSession(tcp::socket&& socket, Budget::Reservation slot, Budget& memory, std::filesystem::path runs_dir)
    : MessageSocket(std::move(socket), std::move(slot)), memory_(memory), runs_dir_(std::move(runs_dir)) {}

WsSession::~WsSession() = default;

void WsSession::open() {
  // The callbacks run on the session thread: they only post work to this connection's strand.
  live_ = std::make_unique<LiveSession>(
      train::RunSpec{}, [this] { post([this] { write(); }); },
      [this](const std::string& message) { post([this, message] { reply_error(message); }); },
      [this](const std::string& message) { post([this, message] { queue_text(message); }); }, &memory_,
      [this](std::string bytes) {
        post([this, bytes = std::make_shared<const std::string>(std::move(bytes))] { queue(bytes, true); });
      });
  live_->save_on_stop(runs_dir_);
  // The greeting goes first, whatever the peer sends meanwhile: hello, then spec, data, a frame.
  queue_text(hello_message());
  refill();
}

std::optional<std::string> WsSession::handle(std::string_view text) { return dispatch_message(*live_, text); }

void WsSession::refill() {
  if (!live_) return;
  auto frame = live_->frame();
  if (frame == sent_frame_) return;
  // Aliasing shared_ptrs: each message keeps its frame (or run) alive while it is written.
  if (frame->run != sent_run_) {
    queue(std::shared_ptr<const std::string>(frame->run, &frame->run->spec), false);
    queue(std::shared_ptr<const std::string>(frame->run, &frame->run->data), false);
    sent_run_ = frame->run;
  }
  queue(std::shared_ptr<const std::string>(frame, &frame->state), false);
  queue(std::shared_ptr<const std::string>(frame, &frame->body), true);
  sent_frame_ = std::move(frame);
}

// Joins the session thread: after this, none of its callbacks is running or will run.
void WsSession::stop() { live_.reset(); }

}  // namespace netlens::server
