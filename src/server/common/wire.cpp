#include "server/common/wire.hpp"

#ifndef NETLENS_VERSION
#define NETLENS_VERSION "0.0.0"
#endif

namespace netlens::server {

using nlohmann::json;

json hello_header(std::string_view view, int protocol) {
  return {{"type", "hello"}, {"view", view}, {"protocol", protocol}, {"version", NETLENS_VERSION}};
}

std::string error_message(std::optional<std::string_view> command, std::string_view message) {
  const json j{{"type", "error"}, {"command", command ? json(std::string(*command)) : json(nullptr)}, {"message", message}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string encode_tensors(const char (&magic)[5], std::uint32_t seq, const std::vector<const Tensor*>& tensors) {
  std::string out(magic, 4);
  auto put = [&out](std::uint32_t v) { out.append(reinterpret_cast<const char*>(&v), 4); };
  put(seq);
  put(static_cast<std::uint32_t>(tensors.size()));
  for (const Tensor* t : tensors) {
    put(static_cast<std::uint32_t>(t->shape().size()));
    for (int d : t->shape()) put(static_cast<std::uint32_t>(d));
    out.append(reinterpret_cast<const char*>(t->data()), t->size() * sizeof(float));
  }
  return out;
}

json domain_json(const probe::Domain& d) {
  return {{"x_min", d.x_min}, {"x_max", d.x_max}, {"y_min", d.y_min}, {"y_max", d.y_max}};
}

}  // namespace netlens::server
