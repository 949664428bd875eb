#pragma once
// Server: the `netlens serve` process's one port. HTTP GET serves the web bundle from web_root;
// a WebSocket at an endpoint's path runs that endpoint's session, one per connection
// (docs/protocol.md).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "server/net/budget.hpp"
#include "server/net/endpoint.hpp"

namespace netlens::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8000;  // 0: pick a free port
  std::string web_root;        // folder with the built page (index.html, assets/)
  // Called once bound, with "http://HOST:PORT/", and "?token=..." when there is a token.
  std::function<void(const std::string& url)> on_listening;
  // Every request must carry it (docs/security.md); empty: none, and then requests must name
  // the server by an address or "localhost". The CLI requires one on a non-loopback host.
  std::string token;
  std::size_t max_sessions = 64;        // live WebSocket sessions, each training on its own thread
  std::size_t max_connections = 256;    // open TCP connections; beyond: 503, beyond twice: closed at once
  std::size_t memory_limit = 4ull << 30;  // bytes the sessions' runs may need together (estimated)
};

class Server {
 public:
  // Binds; throws netlens::Error with a clear message if it cannot. `endpoints` gets the
  // server's memory budget and returns the WebSocket endpoints (server/endpoints.hpp).
  using Endpoints = std::function<std::vector<Endpoint>(Budget& memory)>;
  Server(ServerOptions options, const Endpoints& endpoints);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  unsigned short port() const;
  void run();   // serves until stop(), or SIGINT/SIGTERM, then returns; call it once
  void stop();  // thread-safe

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace netlens::server
