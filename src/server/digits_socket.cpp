#include "server/digits_socket.hpp"

#include "core/error.hpp"

namespace netlens::server {

namespace {
bool is_activations(const std::string& bytes) { return bytes.compare(0, 4, "NLDA") == 0; }
}  // namespace

DigitsSocket::DigitsSocket(tcp::socket&& socket, Budget::Reservation slot, DigitsOptions options)
    : MessageSocket(std::move(socket), std::move(slot)), options_(std::move(options)) {}

DigitsSocket::~DigitsSocket() = default;

void DigitsSocket::open() {
  // The callback runs on the session thread: it only posts work to this connection's strand.
  session_ = std::make_unique<DigitsSession>(options_, [this](std::string bytes, bool binary) {
    auto message = std::make_shared<const std::string>(std::move(bytes));
    post([this, message, binary] {
      if (binary && is_activations(*message)) {
        activations_ = message;
        write();
      } else {
        queue(message, binary);
      }
    });
  });
}

std::optional<std::string> DigitsSocket::handle(std::string_view text) {
  try {
    session_->handle(text);
  } catch (const Error& e) {
    return e.what();
  }
  return std::nullopt;
}

void DigitsSocket::refill() {
  if (activations_) queue(std::exchange(activations_, nullptr), true);
}

// Joins the session thread: after this, its callback is not running and will not run.
void DigitsSocket::stop() { session_.reset(); }

}  // namespace netlens::server
