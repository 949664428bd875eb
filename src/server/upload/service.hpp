#pragma once
// Uploads from the server's own pages (docs/protocol.md, "Uploads"): POST
// /api/upload/v1/model?name=NAME with a model file's bytes (application/octet-stream, at most
// kMaxModelBytes, charged to the memory budget by the transport while it is handled). The bytes
// are read as a model (nn::model_from_bytes: a .nlmodel, or a .onnx imported) and must be an
// image network before anything is written; then the file is saved atomically in the models
// folder as uploaded-NAME, where the Digits and Lurk views list it and open it by that name.
// Answers {"ok": true, "file": "uploaded-mine.onnx", "layers": N, "params": P}, or
// {"ok": false, "error": "..."} (400: not a model the views can open, 500: the disk).
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "server/net/endpoint.hpp"

namespace netlens::server::upload {

inline constexpr const char* kModelPath = "/api/upload/v1/model";
inline constexpr const char* kContentType = "application/octet-stream";
inline constexpr std::size_t kMaxModelBytes = std::size_t{32} << 20;  // every network netlens trains is far smaller
inline constexpr const char* kPrefix = "uploaded-";

// The saved file's name for an upload named `name` (the query's name, as the page sanitised it:
// 1 to 64 of A-Z a-z 0-9 . _ -, ending in .nlmodel or .onnx): kPrefix + name, or name when it has
// the prefix already. Throws Error("name", ...) otherwise.
std::string upload_file_name(std::string_view name);

// The whole upload: the query ("name=mine.onnx"), the body; the answer to send.
PostReply save_model_upload(const std::filesystem::path& models_dir, std::string_view query, std::string_view body);

Endpoint model_upload_endpoint(const std::filesystem::path& models_dir);

}  // namespace netlens::server::upload
