#include "server/inside_socket.hpp"

#include "core/error.hpp"

namespace netlens::server {

namespace {
bool is_pictures(const std::string& bytes) { return bytes.compare(0, 4, "NLIN") == 0; }
}  // namespace

InsideSocket::InsideSocket(tcp::socket&& socket, Budget::Reservation slot)
    : MessageSocket(std::move(socket), std::move(slot)) {}

InsideSocket::~InsideSocket() = default;

void InsideSocket::open() {
  // The callback runs on the session thread: it only posts work to this connection's strand.
  session_ = std::make_unique<InsideSession>([this](std::string bytes, bool binary) {
    auto message = std::make_shared<const std::string>(std::move(bytes));
    post([this, message, binary] {
      if (binary && is_pictures(*message)) {
        pictures_ = message;
        write();
      } else {
        queue(message, binary);
      }
    });
  });
}

std::optional<std::string> InsideSocket::handle(std::string_view text) {
  try {
    session_->handle(std::string(text));
  } catch (const Error& e) {
    return e.what();
  }
  return std::nullopt;
}

void InsideSocket::refill() {
  if (pictures_) queue(std::exchange(pictures_, nullptr), true);
}

// Joins the session thread: after this, its callback is not running and will not run.
void InsideSocket::stop() { session_.reset(); }

}  // namespace netlens::server
