#include "server/net/server.hpp"

#include <csignal>
#include <iostream>

#include <boost/asio/signal_set.hpp>

#include "core/error.hpp"
#include "server/net/beast.hpp"
#include "server/net/connections.hpp"
#include "server/net/http_session.hpp"

namespace netlens::server {

struct Server::Impl {
  Impl(ServerOptions o, const Server::Endpoints& make_endpoints)
      : options(std::move(o)),
        sessions(options.max_sessions),
        memory(options.memory_limit),
        endpoints(make_endpoints(memory)),
        context{options.web_root, &connections, &endpoints, {options.token, {}}, &sessions, &memory, options.max_connections} {}

  void accept();
  void shutdown();
  std::string url() const;

  net::io_context ioc{1};  // first: destroyed last
  ServerOptions options;
  ConnectionSet connections;
  Budget sessions, memory;
  std::vector<Endpoint> endpoints;  // after memory, which they may hold
  HttpContext context;
  tcp::acceptor acceptor{ioc};
  tcp::endpoint endpoint;
  net::signal_set* signals = nullptr;  // set while run() runs
};

namespace {

tcp::endpoint resolve(net::io_context& ioc, const std::string& host, unsigned short port) {
  beast::error_code ec;
  const auto address = net::ip::make_address(host, ec);
  if (!ec) return {address, port};
  tcp::resolver resolver(ioc);
  const auto results = resolver.resolve(host, std::to_string(port), ec);
  if (ec || results.empty()) throw Error("cannot resolve host '" + host + "': " + ec.message());
  return results.begin()->endpoint();
}

}  // namespace

Server::Server(ServerOptions options, const Endpoints& endpoints)
    : impl_(std::make_unique<Impl>(std::move(options), endpoints)) {
  auto& s = *impl_;
  const auto endpoint = resolve(s.ioc, s.options.host, s.options.port);
  const auto fail = [&](const char* what, const beast::error_code& ec) {
    throw Error("cannot listen on " + s.options.host + ":" + std::to_string(s.options.port) + ": " + what +
                ": " + ec.message());
  };
  beast::error_code ec;
  s.acceptor.open(endpoint.protocol(), ec);
  if (ec) fail("open", ec);
  s.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (ec) fail("set SO_REUSEADDR", ec);
  s.acceptor.bind(endpoint, ec);
  if (ec) fail("bind", ec);
  s.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) fail("listen", ec);
  s.endpoint = s.acceptor.local_endpoint();
  // Cookies ignore ports: each server's cookie has its own name.
  s.context.access.cookie_name = "netlens-token-" + std::to_string(s.endpoint.port());
}

Server::~Server() = default;

unsigned short Server::port() const { return impl_->endpoint.port(); }

void Server::run() {
  auto& s = *impl_;
  net::signal_set signals(s.ioc, SIGINT, SIGTERM);
  signals.async_wait([&s](const beast::error_code& ec, int) {
    if (!ec) s.shutdown();
  });
  s.signals = &signals;
  s.accept();
  if (s.options.on_listening) s.options.on_listening(s.url());
  s.ioc.run();
  s.signals = nullptr;
}

void Server::stop() {
  auto& s = *impl_;
  net::post(s.ioc, [&s] { s.shutdown(); });
}

void Server::Impl::accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec != net::error::operation_aborted) std::cerr << "netlens: accept: " << ec.message() << "\n";
      if (!acceptor.is_open()) return;
    } else if (connections.open() < 2 * options.max_connections) {
      auto session = std::make_shared<HttpSession>(std::move(socket), context, connections.open() >= options.max_connections);
      connections.add(session);
      session->start();
    }  // else far beyond the limit: the socket closes as it goes out of scope
    accept();
  });
}

// On the io thread: no new connections, the open ones closed; run() returns once they end.
void Server::Impl::shutdown() {
  beast::error_code ec;
  acceptor.close(ec);
  if (signals) signals->cancel(ec);
  connections.close_all();
}

std::string Server::Impl::url() const {
  const auto address = endpoint.address();
  std::string host = options.host;
  if (address.is_v6() && host.find(':') != std::string::npos) host = "[" + host + "]";
  return "http://" + host + ":" + std::to_string(endpoint.port()) + "/" +
         (options.token.empty() ? "" : "?token=" + options.token);
}

}  // namespace netlens::server
