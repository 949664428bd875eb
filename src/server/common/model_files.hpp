#pragma once
// The models folder as the views name its files: one rule for a file name a page may send (the
// Digits and Lurk views' `open`, an upload), one listing. The files are read with
// nn::load_image_model (a .nlmodel, or a .onnx imported as it is read).
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_fields.hpp"

namespace netlens::server {

// A plain file name (no folder, not hidden, at most 200 bytes) ending in .nlmodel or .onnx.
bool is_model_file_name(std::string_view name);

// The string field `key` of `f`, a model file's name by is_model_file_name; throws Error naming
// the field otherwise.
std::string model_file_name(const Fields& f, std::string_view key);

// The model files of `dir` (regular files with a model file's name), sorted; none when it does
// not exist.
std::vector<std::string> list_model_files(const std::filesystem::path& dir);

}  // namespace netlens::server
