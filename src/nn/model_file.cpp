#include "nn/model_file.hpp"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "nn/onnx/import.hpp"

namespace netlens::nn {

static_assert(std::endian::native == std::endian::little, "model files are little-endian, as is this machine");

namespace {

constexpr char kMagic[8] = {'N', 'L', 'M', 'O', 'D', 'E', 'L', '\0'};
constexpr std::size_t kPrefix = 8 + 4 + 8;
constexpr std::uint64_t kMaxHeader = 16u << 20;

template <class T>
void put(std::string& out, T v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

template <class T>
T get(std::string_view in, std::size_t at) {
  T v;
  std::memcpy(&v, in.data() + at, sizeof v);
  return v;
}

}  // namespace

std::string model_bytes(const nlohmann::json& header, Network& network) {
  const std::string text = header.dump();
  std::string out(kMagic, sizeof kMagic);
  put(out, kModelVersion);
  put(out, static_cast<std::uint64_t>(text.size()));
  out += text;
  put(out, static_cast<std::uint64_t>(network.param_count()));
  for (const auto& p : network.params())
    out.append(reinterpret_cast<const char*>(p.value->data()), p.value->size() * sizeof(float));
  return out;
}

void save_model(const std::filesystem::path& path, const nlohmann::json& header, Network& network) {
  write_file_atomically(path, model_bytes(header, network));
}

// The one entry point for every command and view that takes a model: a netlens model file, or an
// ONNX model (by its extension: ONNX files have no magic of their own) imported as it is read.
Model load_model(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || !std::filesystem::is_regular_file(path, ec)) throw Error(name, "cannot open model file");
  if (size > kMaxOnnxBytes)
    throw Error(name, "the file is " + std::to_string(size >> 20) + " MiB; netlens reads models up to " +
                          std::to_string(kMaxOnnxBytes >> 20) + " MiB");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(name, "cannot open model file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return model_from_bytes(buffer.str(), name);
}

Model model_from_bytes(std::string_view bytes, const std::string& name) {
  std::string ext = std::filesystem::path(name).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const bool netlens = bytes.size() >= sizeof kMagic && std::memcmp(bytes.data(), kMagic, sizeof kMagic) == 0;
  if (!netlens && ext == ".onnx") return import_onnx(bytes, name);
  return parse_model(bytes, name);
}

Model load_image_model(const std::filesystem::path& path) {
  Model m = load_model(path);
  if (m.spec.input_features > 0)
    throw Error(path.string(), "this network takes " + std::to_string(m.spec.input_features) +
                                   " features, not an image: this command needs an image network");
  return m;
}

Model parse_model(std::string_view bytes, const std::string& name) {
  if (bytes.size() < kPrefix || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
    throw Error(name, bytes.size() < sizeof kMagic && std::memcmp(bytes.data(), kMagic, bytes.size()) == 0
                          ? "truncated: the file ends inside its header"
                          : "not a netlens model file (no NLMODEL magic; ONNX models are read from .onnx files)");
  const auto version = get<std::uint32_t>(bytes, 8);
  if (version != kModelVersion)
    throw Error(name, "model format version " + std::to_string(version) + " is not supported (this netlens reads version " +
                          std::to_string(kModelVersion) + ")");
  const auto header_length = get<std::uint64_t>(bytes, 12);
  if (header_length > kMaxHeader || kPrefix + header_length + 8 > bytes.size())
    throw Error(name, "truncated or corrupt: the JSON header's length (" + std::to_string(header_length) +
                          " bytes) runs past the end of the file");
  nlohmann::json header;
  try {
    header = parse_json(bytes.substr(kPrefix, header_length), "header");
  } catch (const Error& e) {
    throw Error(name, std::string("corrupt JSON ") + e.what());
  }
  if (!header.is_object() || !header.contains("config") || !header["config"].is_object())
    throw Error(name, "corrupt: the JSON header has no \"config\" object");
  ImageNetworkSpec spec;
  try {
    spec = parse_image_network(header["config"]);
  } catch (const Error& e) {
    throw Error(name, std::string("corrupt config: ") + e.what());
  }
  // Sizes are checked against the file before the network is built, so a hostile header cannot
  // make this allocate more than the file holds.
  const std::size_t at = kPrefix + header_length;
  const auto count = get<std::uint64_t>(bytes, at);
  const std::size_t expected = spec.param_count;
  if (count != expected)
    throw Error(name, "corrupt: " + std::to_string(count) + " weights recorded but the config needs " + std::to_string(expected));
  const std::size_t size = at + 8 + expected * sizeof(float);
  if (bytes.size() != size)
    throw Error(name, (bytes.size() < size ? "truncated: " : "corrupt: ") + std::to_string(bytes.size()) +
                          " bytes, expected " + std::to_string(size) + " for " + std::to_string(expected) + " weights");
  Model m{std::move(header), spec, build_image_network(spec, 1)};
  std::size_t offset = at + 8;
  for (const auto& p : m.network.params()) {
    std::memcpy(p.value->data(), bytes.data() + offset, p.value->size() * sizeof(float));
    offset += p.value->size() * sizeof(float);
    for (float v : p.value->values())
      if (!std::isfinite(v)) throw Error(name, "corrupt: a weight is not a finite number");
  }
  return m;
}

}  // namespace netlens::nn
