#pragma once
// Who may use the server (docs/security.md). Pure functions of a request's fields, no I/O
// except generate_token.
//  - Host: without a token, a request must name the server by an IP address or "localhost",
//    so a page on another site cannot reach it through DNS rebinding.
//  - Token: when the server has one, every request carries it: ?token=... in the URL (the
//    page's first request; the reply sets a cookie), the cookie, or "Authorization: token ...".
//  - Origin: a WebSocket upgrade from a browser must come from the server's own origin.
#include <string>
#include <string_view>

namespace netlens::server {

struct AccessPolicy {
  std::string token;        // empty: no token needed (loopback only; the CLI enforces it)
  std::string cookie_name;  // the cookie that carries the token, e.g. "netlens-token-8000"
};

enum class Access {
  Allowed,
  AllowedByUrl,  // the token came in the URL: the reply sets the cookie
  NeedsToken,    // no token, or a wrong one
  BadHost,       // the Host header names the server by a host name other than localhost
};

// `target` is the request target ("/?token=abc"), the others the header values ("" if absent).
Access check_access(const AccessPolicy& policy, std::string_view target, std::string_view host,
                    std::string_view authorization, std::string_view cookie);

// A browser's Origin for a page served by this Host: true when it is absent (not a browser) or
// is "http://" + host.
bool origin_allowed(std::string_view origin, std::string_view host);

// The Set-Cookie value that hands the token to the page's later requests and its WebSocket.
std::string token_cookie(const AccessPolicy& policy);

// True for 127.0.0.0/8, ::1 and "localhost": addresses no other machine can reach.
bool is_loopback_host(std::string_view host);

// 24 random bytes from /dev/urandom as 48 hex digits (Jupyter's size); throws Error if it cannot.
std::string generate_token();

}  // namespace netlens::server
