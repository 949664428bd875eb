#include "server/upload/service.hpp"

#include <cctype>
#include <exception>

#include <nlohmann/json.hpp>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "nn/model_file.hpp"
#include "server/common/model_files.hpp"

namespace netlens::server::upload {

using nlohmann::json;

namespace {

PostReply refusal(unsigned status, const std::string& sentence) {
  return {status, json{{"ok", false}, {"error", sentence}}.dump()};
}

// The value of `key` in a query of key=value pairs joined by '&'; empty when absent.
std::string_view query_value(std::string_view query, std::string_view key) {
  while (!query.empty()) {
    const std::string_view pair = query.substr(0, query.find('&'));
    if (pair.size() > key.size() && pair.substr(0, key.size()) == key && pair[key.size()] == '=')
      return pair.substr(key.size() + 1);
    if (pair.size() == query.size()) break;
    query.remove_prefix(pair.size() + 1);
  }
  return {};
}

}  // namespace

std::string upload_file_name(std::string_view name) {
  bool plain = !name.empty() && name.size() <= 64 && name.front() != '.';
  for (char c : name) plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-');
  std::string file = name.starts_with(kPrefix) ? std::string(name) : kPrefix + std::string(name);
  if (!plain || !is_model_file_name(file))
    throw Error("name", "must be a model file's name of 1 to 64 of A-Z a-z 0-9 . _ - ending in .nlmodel or .onnx, got '" +
                            excerpt(name) + "'");
  return file;
}

PostReply save_model_upload(const std::filesystem::path& models_dir, std::string_view query, std::string_view body) {
  std::string file;
  json answer{{"ok", true}};
  try {
    file = upload_file_name(query_value(query, "name"));
    if (body.empty()) throw Error(file, "the upload is empty");
    nn::Model model = nn::model_from_bytes(body, file);
    if (model.spec.input_features > 0)
      throw Error(file, "this network takes " + std::to_string(model.spec.input_features) +
                            " features, not an image; the views open image networks (a grey 28 × 28 input, say)");
    answer["file"] = file;
    answer["layers"] = model.network.size();
    answer["params"] = model.network.param_count();
  } catch (const Error& e) {
    return refusal(400, e.what());
  }
  try {
    std::filesystem::create_directories(models_dir);
    write_file_atomically(models_dir / file, body);
  } catch (const std::exception& e) {
    return refusal(500, std::string("the server could not save ") + file + ": " + e.what());
  }
  return {200, answer.dump()};
}

Endpoint model_upload_endpoint(const std::filesystem::path& models_dir) {
  Endpoint e;
  e.path = kModelPath;
  e.page_post = [models_dir](std::string_view query, std::string_view body) { return save_model_upload(models_dir, query, body); };
  e.content_type = kContentType;
  e.max_body = kMaxModelBytes;
  return e;
}

}  // namespace netlens::server::upload
