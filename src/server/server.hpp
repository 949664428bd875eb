#pragma once
// Server: the `netlens serve` process's one port. HTTP GET serves the web bundle from web_root;
// a WebSocket at /ws runs one live training session per connection, one at /ws/digits the
// Digits view's session (docs/protocol.md).
#include <functional>
#include <memory>
#include <string>

namespace netlens::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8000;  // 0: pick a free port
  std::string web_root;        // folder with the built page (index.html, assets/)
  // Called once bound, with "http://HOST:PORT/", and "?token=..." when there is a token.
  std::function<void(const std::string& url)> on_listening;
  std::string models_dir = "models";  // the Digits view's trained models (written on first use)
  // Each Playground session's run, when it ends (tab closed, server stopped) after training at
  // least an epoch, is saved here as a run directory. Empty: runs are not saved.
  std::string runs_dir;
  // Every request must carry it (docs/security.md); empty: none, and then requests must name
  // the server by an address or "localhost". The CLI requires one on a non-loopback host.
  std::string token;
  std::size_t max_sessions = 64;        // live WebSocket sessions, each training on its own thread
  std::size_t max_connections = 256;    // open TCP connections; beyond: 503, beyond twice: closed at once
  std::size_t memory_limit = 4ull << 30;  // bytes the sessions' runs may need together (estimated)
};

class Server {
 public:
  explicit Server(ServerOptions options);  // binds; throws netlens::Error with a clear message if it cannot
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
