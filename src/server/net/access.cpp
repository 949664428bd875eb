#include "server/net/access.hpp"

#include <boost/asio/ip/address.hpp>
#include <fstream>
#include <optional>

#include "core/error.hpp"

namespace netlens::server {

namespace {

// Compares in time that depends only on the lengths, so timing does not leak the token.
bool same_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

// The value of `name` in a "k=v&k=v" or "k=v; k=v" list, if present.
std::optional<std::string_view> list_value(std::string_view list, char separator, std::string_view name) {
  while (!list.empty()) {
    const auto end = list.find(separator);
    std::string_view item = list.substr(0, end);
    list = end == std::string_view::npos ? std::string_view() : list.substr(end + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    const auto eq = item.find('=');
    if (eq != std::string_view::npos && item.substr(0, eq) == name) return item.substr(eq + 1);
  }
  return std::nullopt;
}

// The host part of a Host header: "127.0.0.1:8000" -> "127.0.0.1", "[::1]:8000" -> "::1".
std::string_view host_name(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    const auto close = host.find(']');
    return close == std::string_view::npos ? std::string_view() : host.substr(1, close - 1);
  }
  return host.substr(0, host.rfind(':'));
}

bool is_ip_address(std::string_view name) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(std::string(name), ec);
  return !ec;
}

}  // namespace

Access check_access(const AccessPolicy& policy, std::string_view target, std::string_view host,
                    std::string_view authorization, std::string_view cookie) {
  if (policy.token.empty()) {
    const auto name = host_name(host);
    return name == "localhost" || is_ip_address(name) ? Access::Allowed : Access::BadHost;
  }
  constexpr std::string_view kScheme = "token ";
  if (authorization.substr(0, kScheme.size()) == kScheme && same_secret(authorization.substr(kScheme.size()), policy.token))
    return Access::Allowed;
  if (const auto c = list_value(cookie, ';', policy.cookie_name); c && same_secret(*c, policy.token))
    return Access::Allowed;
  const auto query = target.find('?');
  if (query != std::string_view::npos) {
    const auto q = list_value(target.substr(query + 1, target.find('#', query) - query - 1), '&', "token");
    if (q && same_secret(*q, policy.token)) return Access::AllowedByUrl;
  }
  return Access::NeedsToken;
}

bool origin_allowed(std::string_view origin, std::string_view host) {
  if (origin.empty()) return true;
  constexpr std::string_view kScheme = "http://";
  if (host.empty() || origin.size() != kScheme.size() + host.size()) return false;
  for (std::size_t i = 0; i < origin.size(); ++i) {
    const char expected = i < kScheme.size() ? kScheme[i] : host[i - kScheme.size()];
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(origin[i]) != lower(expected)) return false;
  }
  return true;
}

std::string token_cookie(const AccessPolicy& policy) {
  // HttpOnly: scripts cannot read it; SameSite=Strict: another site's requests do not carry it.
  return policy.cookie_name + "=" + policy.token + "; Path=/; HttpOnly; SameSite=Strict";
}

bool is_loopback_host(std::string_view host) {
  if (host == "localhost") return true;
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(std::string(host), ec);
  return !ec && address.is_loopback();
}

std::string generate_token() {
  unsigned char bytes[24];
  std::ifstream random("/dev/urandom", std::ios::binary);
  if (!random.read(reinterpret_cast<char*>(bytes), sizeof bytes)) throw Error("/dev/urandom", "cannot read a token");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string token;
  for (unsigned char b : bytes) {
    token += kHex[b >> 4];
    token += kHex[b & 15];
  }
  return token;
}

}  // namespace netlens::server
