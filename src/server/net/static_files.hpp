#pragma once
// Static files of the web bundle: which file a request target names, and its Content-Type.
// A target is refused (HTTP 400) when it could name anything outside the web root: ".."
// segments, backslashes, percent-encoded dots, slashes or backslashes, NUL or control bytes.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace netlens::server {

struct TargetPath {
  std::string relative;  // the file under the web root, e.g. "assets/index.js"; "/" is "index.html"
  std::string refusal;   // why the target is refused; empty when it is accepted
  bool ok() const { return refusal.empty(); }
};

// Maps a request target ("/assets/app.js?v=1") to a path relative to the web root. Pure: it
// reads no files. The query and fragment are dropped, %XX escapes of other bytes decoded, and
// a target ending in "/" names that folder's index.html.
TargetPath target_to_path(std::string_view target);

// The regular file `relative` names under `root`, if there is one and it does not lead outside
// `root` (through a symbolic link, say); a folder names its index.html.
std::optional<std::filesystem::path> find_static_file(const std::filesystem::path& root, const std::string& relative);

// "text/html; charset=utf-8" for "index.html", and so on; application/octet-stream if unknown.
std::string_view mime_type(std::string_view path);

}  // namespace netlens::server
