#include "server/common/model_files.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace netlens::server {

bool is_model_file_name(std::string_view name) {
  return !name.empty() && name.size() <= 200 && name.front() != '.' && name.find('/') == std::string_view::npos &&
         name.find('\\') == std::string_view::npos && name.find('\0') == std::string_view::npos &&
         (name.ends_with(".nlmodel") || name.ends_with(".onnx"));
}

std::string model_file_name(const Fields& f, std::string_view key) {
  std::string name = f.string(key);
  if (!is_model_file_name(name))
    throw Error(f.path(key), "must be a model file's name in the models folder, like mnist-cnn.nlmodel or mine.onnx, got '" +
                                 excerpt(name) + "'");
  return name;
}

std::vector<std::string> list_model_files(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    if (e.is_regular_file(ec) && is_model_file_name(name)) out.push_back(std::move(name));
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace netlens::server
