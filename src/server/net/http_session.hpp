#pragma once
// HttpSession: one HTTP connection. Serves GET and HEAD of the web bundle's files, answers a
// POST endpoint's requests (the ingest endpoint), and hands a
// WebSocket upgrade (from the page's own origin) at an endpoint's path to a MessageSocket that
// runs that endpoint's session.
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "server/net/access.hpp"
#include "server/net/beast.hpp"
#include "server/net/budget.hpp"
#include "server/net/connections.hpp"
#include "server/net/endpoint.hpp"

namespace netlens::server {

struct HttpContext {
  std::filesystem::path web_root;
  ConnectionSet* connections;
  const std::vector<Endpoint>* endpoints;
  AccessPolicy access;
  Budget* sessions;  // one unit per live WebSocket session
  Budget* memory;    // bytes of the sessions' runs
  std::size_t max_connections;
};

class HttpSession : public Connection, public std::enable_shared_from_this<HttpSession> {
 public:
  // `over_limit`: the server has too many connections open; this one answers 503 and closes.
  HttpSession(tcp::socket&& socket, const HttpContext& context, bool over_limit = false);

  void start();
  void close() override;

 private:
  void read();
  void on_header(beast::error_code ec, std::size_t bytes);
  void on_read(beast::error_code ec, std::size_t bytes);
  void respond(Request request);
  void respond_post(const Endpoint& endpoint, const Request& request, std::string_view host);
  template <class Body>
  void send(http::response<Body> response);
  void on_write(bool close, beast::error_code ec, std::size_t bytes);

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<void> response_;  // the response being written
  const HttpContext& context_;
  bool over_limit_;
  std::string set_cookie_;
  Budget::Reservation body_memory_;  // a POST endpoint's body, from its header to its answer  // for the response to a request that brought the token in its URL
};

}  // namespace netlens::server
