#include "server/net/static_files.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <system_error>
#include <utility>

namespace netlens::server {

namespace fs = std::filesystem;

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

TargetPath refuse(std::string why) { return {{}, std::move(why)}; }

bool is_inside(const fs::path& file, const fs::path& root) {
  const auto [r, f] = std::mismatch(root.begin(), root.end(), file.begin(), file.end());
  return r == root.end();
}

}  // namespace

TargetPath target_to_path(std::string_view target) {
  target = target.substr(0, target.find_first_of("?#"));
  if (target.empty() || target.front() != '/') return refuse("the path must start with '/'");

  // Decode, refusing the escapes that could hide a "..", a separator or a NUL.
  std::string path;
  for (std::size_t i = 0; i < target.size(); ++i) {
    char c = target[i];
    if (c == '%') {
      const int hi = i + 2 < target.size() ? hex_value(target[i + 1]) : -1;
      const int lo = hi >= 0 ? hex_value(target[i + 2]) : -1;
      if (lo < 0) return refuse("bad percent escape in the path");
      c = static_cast<char>(hi * 16 + lo);
      if (c == '.' || c == '/' || c == '\\') return refuse("percent-encoded '.', '/' or '\\' in the path");
      i += 2;
    }
    if (c == '\\') return refuse("backslash in the path");
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return refuse("control character in the path");
    path += c;
  }

  // Rebuild from the segments: no empty ones (so never an absolute path), no "..".
  std::string relative;
  std::size_t start = 1;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    const std::string_view segment = std::string_view(path).substr(start, end - start);
    if (segment == "..") return refuse("'..' in the path");
    if (!segment.empty() && segment != ".") {
      if (!relative.empty()) relative += '/';
      relative += segment;
    }
    start = end + 1;
  }
  if (path.back() == '/') relative += relative.empty() ? "index.html" : "/index.html";
  return {relative, {}};
}

std::optional<fs::path> find_static_file(const fs::path& root, const std::string& relative) {
  std::error_code ec;
  const fs::path base = fs::canonical(root, ec);
  if (ec || relative.empty()) return std::nullopt;
  fs::path file = fs::canonical(base / relative, ec);
  if (ec) return std::nullopt;
  if (fs::is_directory(file, ec)) file = fs::canonical(file / "index.html", ec);
  if (ec || !is_inside(file, base) || !fs::is_regular_file(file, ec)) return std::nullopt;
  return file;
}

std::string_view mime_type(std::string_view path) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 13> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
      {".woff2", "font/woff2"},
      {".wasm", "application/wasm"},
      {".gif", "image/gif"},
  }};
  const auto dot = path.rfind('.');
  if (dot == std::string_view::npos || path.find('/', dot) != std::string_view::npos) return "application/octet-stream";
  std::string ext(path.substr(dot));
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& [e, type] : kTypes)
    if (e == ext) return type;
  return "application/octet-stream";
}

}  // namespace netlens::server
