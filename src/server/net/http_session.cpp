#include "server/net/http_session.hpp"

#include <chrono>
#include <exception>
#include <iostream>
#include <limits>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "server/net/message_socket.hpp"
#include "server/net/static_files.hpp"

namespace netlens::server {

namespace {

constexpr auto kTimeout = std::chrono::seconds(30);  // for a request to arrive or a response to leave
constexpr auto kOverLimitTimeout = std::chrono::seconds(5);  // a connection beyond the limit is not kept waiting
constexpr std::uint64_t kMaxRequestBody = 64 * 1024;  // GET and HEAD need none

std::string_view to_view(beast::string_view s) { return {s.data(), s.size()}; }

const Endpoint* find_endpoint(const std::vector<Endpoint>& endpoints, std::string_view path) {
  for (const auto& e : endpoints)
    if (e.path == path) return &e;
  return nullptr;
}

std::string endpoint_list(const std::vector<Endpoint>& endpoints) {
  std::string list;
  for (const auto& e : endpoints)
    if (e.open) list += (list.empty() ? "" : ", ") + e.path;
  return list;
}

template <class Body>
void set_common_fields(http::response<Body>& res, const Request& request) {
  res.set(http::field::server, "netlens");
  res.set(http::field::x_frame_options, "DENY");  // no other site may frame the page
  res.set(http::field::cache_control, "no-cache");
  res.set("X-Content-Type-Options", "nosniff");
  res.keep_alive(request.keep_alive());
}

// A POST body over its endpoint's limit: answered without reading it, and the connection closed.
http::response<http::string_body> body_too_large(unsigned version) {
  http::response<http::string_body> res{http::status::payload_too_large, version};
  res.set(http::field::content_type, "application/json");
  res.body() = R"({"ok":false,"error":"the body is over this endpoint's limit: send a smaller file, or fewer records per request"})";
  res.prepare_payload();
  res.keep_alive(false);
  return res;
}

}  // namespace

HttpSession::HttpSession(tcp::socket&& socket, const HttpContext& context, bool over_limit)
    : stream_(std::move(socket)), context_(context), over_limit_(over_limit) {}

void HttpSession::start() {
  net::dispatch(stream_.get_executor(), beast::bind_front_handler(&HttpSession::read, shared_from_this()));
}

void HttpSession::close() {
  net::post(stream_.get_executor(), [self = shared_from_this()] { self->stream_.close(); });
}

void HttpSession::read() {
  parser_.emplace();
  // Beast checks a Content-Length against the limit as the header ends: the limit is set
  // (and a declared length checked) in on_header, once the target is known.
  parser_->body_limit(std::numeric_limits<std::uint64_t>::max());  // not none: Beast 1.74 compares none as below any length
  body_memory_ = {};
  stream_.expires_after(over_limit_ ? kOverLimitTimeout : kTimeout);
  http::async_read_header(stream_, buffer_, *parser_, beast::bind_front_handler(&HttpSession::on_header, shared_from_this()));
}

// A POST endpoint's body may be larger than other requests': its limit is set once the header
// names the endpoint, and the body is charged to the memory budget before it is read.
void HttpSession::on_header(beast::error_code ec, std::size_t) {
  if (ec == http::error::end_of_stream) {
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    return;
  }
  if (ec) return;  // timeout, reset, a request Beast cannot parse: drop the connection
  const auto& header = parser_->get();
  const std::string_view target = to_view(header.target());
  const Endpoint* endpoint = find_endpoint(*context_.endpoints, target.substr(0, target.find_first_of("?#")));
  if (header.method() == http::verb::post && endpoint && (endpoint->post || endpoint->page_post) && !over_limit_) {
    if (parser_->content_length().value_or(0) > endpoint->max_body) return send(body_too_large(header.version()));
    const std::size_t size = std::min<std::uint64_t>(parser_->content_length().value_or(endpoint->max_body), endpoint->max_body);
    auto reservation = context_.memory->reserve(size);
    if (!reservation) {
      http::response<http::string_body> res{http::status::service_unavailable, header.version()};
      res.set(http::field::content_type, "application/json");
      res.set(http::field::retry_after, "1");
      res.body() = R"({"ok":false,"error":"netlens: the server's memory budget is in use; try again shortly","retry_after_ms":1000})";
      res.prepare_payload();
      res.keep_alive(false);
      return send(std::move(res));
    }
    body_memory_ = std::move(*reservation);
    parser_->body_limit(endpoint->max_body);
  } else {
    if (parser_->content_length().value_or(0) > kMaxRequestBody) return;  // drop the connection, as for any bad request
    parser_->body_limit(kMaxRequestBody);
  }
  http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
}

void HttpSession::on_read(beast::error_code ec, std::size_t) {
  if (ec == http::error::body_limit && parser_->get().method() == http::verb::post)
    return send(body_too_large(parser_->get().version()));
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

  if (over_limit_) {
    auto res = text(http::status::service_unavailable,
                    "netlens: too many open connections (at most " + std::to_string(context_.max_connections) +
                        "); close other tabs or clients and try again");
    res.keep_alive(false);
    return send(std::move(res));
  }
  const std::string_view host = to_view(request[http::field::host]);
  beast::error_code ec;
  switch (check_access(context_.access, target, host, to_view(request[http::field::authorization]),
                       to_view(request[http::field::cookie]))) {
    case Access::Allowed: break;
    case Access::AllowedByUrl: set_cookie_ = token_cookie(context_.access); break;
    case Access::BadHost:
      return send(text(http::status::forbidden,
                       "netlens: host '" + excerpt(host) + "' not allowed: open this server by its address, e.g. " +
                           "http://127.0.0.1:" + std::to_string(stream_.socket().local_endpoint(ec).port()) +
                           "/ (a host name could be another site's, rebound to this machine)"));
    case Access::NeedsToken:
      return send(text(http::status::forbidden,
                       "netlens: this server needs its token: open the URL it printed (it ends in ?token=...), "
                       "or send the header 'Authorization: token ...'"));
  }

  const Endpoint* endpoint = find_endpoint(*context_.endpoints, path);
  if (endpoint && (endpoint->post || endpoint->page_post)) return respond_post(*endpoint, request, host);
  if (websocket::is_upgrade(request)) {
    if (!endpoint)
      return send(text(http::status::not_found, "no WebSocket endpoint here; they are " + endpoint_list(*context_.endpoints)));
    const std::string_view origin = to_view(request[http::field::origin]);
    if (!origin_allowed(origin, host))
      return send(text(http::status::forbidden, "WebSocket origin not allowed: " + excerpt(origin)));
    auto slot = context_.sessions->reserve(1);
    if (!slot)
      return send(text(http::status::service_unavailable,
                       "netlens: too many live sessions (at most " + std::to_string(context_.sessions->limit()) +
                           ", one per tab); close another tab and reload"));
    auto socket = std::make_shared<MessageSocket>(stream_.release_socket(), std::move(*slot), *endpoint, *context_.memory);
    context_.connections->add(socket);
    socket->start(std::move(request));
    return;
  }
  if (request.method() != http::verb::get && request.method() != http::verb::head) {
    auto res = text(http::status::method_not_allowed, "only GET and HEAD are served");
    res.set(http::field::allow, "GET, HEAD");
    return send(std::move(res));
  }
  if (endpoint)
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
  ec = {};
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

// A POST endpoint: nothing a web page could send (docs/security.md "Ingest"), or for a page's
// upload only what this server's own pages send (docs/protocol.md "Uploads"); the body stays
// charged to the memory budget until the answer is written.
void HttpSession::respond_post(const Endpoint& endpoint, const Request& request, std::string_view host) {
  const auto json_reply = [&](http::status status, std::string body) {
    http::response<http::string_body> res{status, request.version()};
    set_common_fields(res, request);
    res.set(http::field::content_type, "application/json");
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
  };
  const auto refusal = [&](http::status status, const std::string& sentence) {
    return json_reply(status, nlohmann::json{{"ok", false}, {"error", sentence}}.dump());
  };
  if (request.method() != http::verb::post) {
    auto res = refusal(http::status::method_not_allowed, endpoint.path + " takes POST only");
    res.set(http::field::allow, "POST");
    return send(std::move(res));
  }
  const std::string_view origin = to_view(request[http::field::origin]);
  if (endpoint.post && request.find(http::field::origin) != request.end())
    return send(refusal(http::status::forbidden,
                        "a request from a web page (it has an Origin header) may not post to " + endpoint.path));
  if (endpoint.page_post && (origin.empty() || !origin_allowed(origin, host)))
    return send(refusal(http::status::forbidden, endpoint.path + " takes uploads from this server's own pages only (origin '" +
                                                     excerpt(origin) + "')"));
  const std::string_view type = to_view(request[http::field::content_type]);
  if (type.substr(0, type.find(';')) != endpoint.content_type)
    return send(refusal(http::status::unsupported_media_type,
                        "the content type must be " + endpoint.content_type + ", got '" + excerpt(type) + "'"));
  const std::string_view target = to_view(request.target());
  const std::string_view query = target.find('?') == std::string_view::npos ? std::string_view{} : target.substr(target.find('?') + 1);
  const PostReply reply = endpoint.post ? endpoint.post(to_view(request.body())) : endpoint.page_post(query, to_view(request.body()));
  send(json_reply(static_cast<http::status>(reply.status), reply.body));
}

template <class Body>
void HttpSession::send(http::response<Body> response) {
  if (!set_cookie_.empty()) response.set(http::field::set_cookie, std::exchange(set_cookie_, {}));
  auto res = std::make_shared<http::response<Body>>(std::move(response));
  response_ = res;
  stream_.expires_after(kTimeout);
  http::async_write(stream_, *res, [self = shared_from_this(), close = res->need_eof()](beast::error_code ec, std::size_t n) {
    self->on_write(close, ec, n);
  });
}

void HttpSession::on_write(bool close, beast::error_code ec, std::size_t) {
  response_.reset();
  body_memory_ = {};
  if (ec) return;
  if (close) {
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    return;
  }
  read();
}

}  // namespace netlens::server
