#pragma once
// Files netlens writes (models, snapshots, run manifests, exports) are replaced atomically: the
// bytes go to a temporary file beside the target, are flushed to disk (fsync), and the temporary
// file is renamed over the target. A crash or kill -9 at any point leaves either the old file or
// the new one, never a mix.
#include <filesystem>
#include <string_view>

namespace netlens {

// Throws Error("<path>: <reason>") when any step fails; the target is then untouched and the
// temporary file removed.
void write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

}  // namespace netlens
