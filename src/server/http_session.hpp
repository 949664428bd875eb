#pragma once
// HttpSession: one HTTP connection. Serves GET and HEAD of the web bundle's files and hands a
// WebSocket upgrade (from the page's own origin) at /ws to a WsSession, at /ws/digits to a
// DigitsSocket.
#include <filesystem>
#include <memory>
#include <optional>

#include "server/beast.hpp"
#include "server/connections.hpp"
#include "server/digits_session.hpp"

namespace netlens::server {

struct HttpContext {
  std::filesystem::path web_root;
  ConnectionSet* connections;
  DigitsOptions digits;
};

class HttpSession : public Connection, public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket&& socket, const HttpContext& context);

  void start();
  void close() override;

 private:
  void read();
  void on_read(beast::error_code ec, std::size_t bytes);
  void respond(Request request);
  template <class Body>
  void send(http::response<Body> response);
  void on_write(bool close, beast::error_code ec, std::size_t bytes);

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<void> response_;  // the response being written
  const HttpContext& context_;
};

}  // namespace netlens::server
