#include "server/ws_session.hpp"

#include <chrono>
#include <exception>
#include <iostream>

#include "core/error.hpp"
#include "data/csv_points.hpp"
#include "server/protocol.hpp"

namespace netlens::server {

namespace {

constexpr std::size_t kMaxOutbox = 32;   // replies waiting to be written before reading pauses
constexpr std::size_t kMaxPending = 64;  // commands waiting for the session thread

}  // namespace

WsSession::WsSession(tcp::socket&& socket) : ws_(std::move(socket)) {}

WsSession::~WsSession() = default;

void WsSession::start(Request request) {
  beast::get_lowest_layer(ws_).expires_never();  // the websocket stream keeps its own timers
  auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
  timeouts.idle_timeout = std::chrono::seconds(60);  // a peer that answers no ping for 60 s is gone
  timeouts.keep_alive_pings = true;
  ws_.set_option(timeouts);
  ws_.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(http::field::server, "netlens"); }));
  ws_.read_message_max(kMaxMessageBytes);  // larger: Beast closes with 1009 (message too big)
  ws_.async_accept(request, beast::bind_front_handler(&WsSession::on_accept, shared_from_this()));
}

void WsSession::close() {
  net::post(ws_.get_executor(), [self = shared_from_this()] { self->end(); });
}

void WsSession::on_accept(beast::error_code ec) {
  if (ec) return end();
  try {
    std::weak_ptr<WsSession> weak = weak_from_this();
    auto executor = ws_.get_executor();
    // Both callbacks run on the session thread: they only post work to this connection's strand.
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
        });
  } catch (const std::exception& e) {
    std::cerr << "netlens: cannot start a session: " << e.what() << "\n";
    return end();
  }
  // The greeting goes first, whatever the peer sends meanwhile: hello, spec, data, a frame.
  outbox_.push_back({std::make_shared<const std::string>(hello_message()), false});
  queue_newest_frame();
  read();
  write();
}

void WsSession::read() {
  reading_paused_ = false;
  ws_.async_read(buffer_, beast::bind_front_handler(&WsSession::on_read, shared_from_this()));
}

void WsSession::on_read(beast::error_code ec, std::size_t) {
  if (ec) return end();  // closed by the peer, too big (closed with 1009), or aborted
  if (ended_) return;
  if (ws_.got_text()) {
    handle(beast::buffers_to_string(buffer_.data()));
  } else {
    reply_error("message: binary messages are not accepted; send JSON text");
  }
  buffer_.consume(buffer_.size());
  // A peer that sends faster than it reads its replies waits until they are written.
  if (outbox_.size() < kMaxOutbox)
    read();
  else
    reading_paused_ = true;
}

void WsSession::handle(const std::string& text) {
  try {
    const Command command = parse_command(text);
    if (live_->pending() >= kMaxPending)
      throw Error(std::string("busy: ") + std::to_string(kMaxPending) + " commands are still waiting; send fewer");
    switch (command.type) {
      case CommandType::Play: live_->play(); break;
      case CommandType::Pause: live_->pause(); break;
      case CommandType::Step: live_->step(); break;
      case CommandType::Reset: live_->reset(); break;
      case CommandType::SetSpec:
        try {
          live_->set_spec(command.spec);
        } catch (const Error& e) {
          reply_error(std::string("set_spec: spec.") + e.what());
        }
        break;
      case CommandType::Import:
        try {
          live_->import_model(command.spec);
        } catch (const Error& e) {
          reply_error(std::string("import: ") + e.what());
        }
        break;
      case CommandType::SetRun: live_->set_run(command); break;
      case CommandType::SetParam: live_->set_param(command.layer, command.unit, command.input, command.value); break;
      case CommandType::AddPoint: live_->add_point(command.point); break;
      case CommandType::UploadCsv:
        try {
          live_->upload(data::parse_csv_points(command.text, command.name, live_->spec().problem), command.name);
        } catch (const Error& e) {
          reply_error(std::string("upload_csv: ") + e.what());
        }
        break;
      case CommandType::Prune: live_->prune(command.layer, command.count, command.prune_by); break;
      case CommandType::Export: live_->export_model(); break;
    }
  } catch (const Error& e) {
    reply_error(e.what());
  }
}

void WsSession::reply_error(const std::string& message) { reply(error_message(message)); }

void WsSession::reply(const std::string& message) {
  if (ended_) return;
  outbox_.push_back({std::make_shared<const std::string>(message), false});
  write();
}

// Writes the front of the outbox; when it is empty, the newest frame if it was not sent yet.
void WsSession::write() {
  if (writing_ || ended_) return;
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
  if (reading_paused_ && !ended_ && outbox_.size() < kMaxOutbox) read();
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
  beast::get_lowest_layer(ws_).close();
}

}  // namespace netlens::server
