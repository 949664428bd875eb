#include "server/http_session.hpp"

#include <chrono>
#include <exception>
#include <iostream>
#include <string>

#include "server/digits_socket.hpp"
#include "server/static_files.hpp"
#include "server/ws_session.hpp"

namespace netlens::server {

namespace {

constexpr auto kTimeout = std::chrono::seconds(30);  // for a request to arrive or a response to leave
constexpr std::uint64_t kMaxRequestBody = 64 * 1024;  // GET and HEAD need none

std::string_view to_view(beast::string_view s) { return {s.data(), s.size()}; }

// A page may open the socket only from its own origin: Origin, when sent, is http://<Host>.
bool origin_allowed(const Request& request) {
  const auto origin = request.find(http::field::origin);
  if (origin == request.end()) return true;
  const auto host = request[http::field::host];
  return !host.empty() && beast::iequals(origin->value(), "http://" + std::string(to_view(host)));
}

template <class Body>
void set_common_fields(http::response<Body>& res, const Request& request) {
  res.set(http::field::server, "netlens");
  res.set(http::field::cache_control, "no-cache");
  res.set("X-Content-Type-Options", "nosniff");
  res.keep_alive(request.keep_alive());
}

}  // namespace

HttpSession::HttpSession(tcp::socket&& socket, const HttpContext& context)
    : stream_(std::move(socket)), context_(context) {}

void HttpSession::start() {
  net::dispatch(stream_.get_executor(), beast::bind_front_handler(&HttpSession::read, shared_from_this()));
}

void HttpSession::close() {
  net::post(stream_.get_executor(), [self = shared_from_this()] { self->stream_.close(); });
}

void HttpSession::read() {
  parser_.emplace();
  parser_->body_limit(kMaxRequestBody);
  stream_.expires_after(kTimeout);
  http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
}

void HttpSession::on_read(beast::error_code ec, std::size_t) {
  if (ec == http::error::end_of_stream) {
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    return;
  }
  if (ec) return;  // timeout, reset, a request Beast cannot parse: drop the connection
  Request request = parser_->release();
  try {
    respond(std::move(request));
  } catch (const std::exception& e) {
    std::cerr << "netlens: http: " << e.what() << "\n";
    stream_.close();
  }
}

void HttpSession::respond(Request request) {
  const std::string_view target = to_view(request.target());
  const std::string_view path = target.substr(0, target.find_first_of("?#"));
  const auto text = [&](http::status status, std::string body) {
    http::response<http::string_body> res{status, request.version()};
    set_common_fields(res, request);
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.body() = std::move(body) + "\n";
    res.prepare_payload();
    if (request.method() == http::verb::head) res.body().clear();  // the length stays
    return res;
  };

  if (websocket::is_upgrade(request)) {
    if (path != "/ws" && path != "/ws/digits")
      return send(text(http::status::not_found, "no WebSocket endpoint here; they are /ws and /ws/digits"));
    if (!origin_allowed(request))
      return send(text(http::status::forbidden, "WebSocket origin not allowed: " +
                                                    std::string(to_view(request[http::field::origin]))));
    if (path == "/ws/digits") {
      auto digits = std::make_shared<DigitsSocket>(stream_.release_socket(), context_.digits);
      context_.connections->add(digits);
      digits->start(std::move(request));
      return;
    }
    auto ws = std::make_shared<WsSession>(stream_.release_socket());
    context_.connections->add(ws);
    ws->start(std::move(request));
    return;
  }
  if (request.method() != http::verb::get && request.method() != http::verb::head) {
    auto res = text(http::status::method_not_allowed, "only GET and HEAD are served");
    res.set(http::field::allow, "GET, HEAD");
    return send(std::move(res));
  }
  if (path == "/ws" || path == "/ws/digits")
    return send(text(http::status::upgrade_required, std::string(path) + " is a WebSocket endpoint"));

  const TargetPath target_path = target_to_path(target);
  if (!target_path.ok()) return send(text(http::status::bad_request, "bad request: " + target_path.refusal));
  const auto file = find_static_file(context_.web_root, target_path.relative);
  if (!file) {
    if (target_path.relative == "index.html")
      return send(text(http::status::not_found, "the web bundle is not built (no index.html in " +
                                                    context_.web_root.string() + "); run `make build`"));
    return send(text(http::status::not_found, "not found: " + std::string(path)));
  }

  http::file_body::value_type body;
  beast::error_code ec;
  body.open(file->c_str(), beast::file_mode::scan, ec);
  if (ec) return send(text(http::status::not_found, "not found: " + std::string(path)));
  const auto size = body.size();
  const auto type = mime_type(file->string());
  if (request.method() == http::verb::head) {
    http::response<http::empty_body> res{http::status::ok, request.version()};
    set_common_fields(res, request);
    res.set(http::field::content_type, beast::string_view(type.data(), type.size()));
    res.content_length(size);
    return send(std::move(res));
  }
  http::response<http::file_body> res{std::piecewise_construct, std::make_tuple(std::move(body)),
                                      std::make_tuple(http::status::ok, request.version())};
  set_common_fields(res, request);
  res.set(http::field::content_type, beast::string_view(type.data(), type.size()));
  res.content_length(size);
  send(std::move(res));
}

template <class Body>
void HttpSession::send(http::response<Body> response) {
  auto res = std::make_shared<http::response<Body>>(std::move(response));
  response_ = res;
  stream_.expires_after(kTimeout);
  http::async_write(stream_, *res, [self = shared_from_this(), close = res->need_eof()](beast::error_code ec, std::size_t n) {
    self->on_write(close, ec, n);
  });
}

void HttpSession::on_write(bool close, beast::error_code ec, std::size_t) {
  response_.reset();
  if (ec) return;
  if (close) {
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    return;
  }
  read();
}

}  // namespace netlens::server
