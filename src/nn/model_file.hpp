#pragma once
// Model files: one self-describing file per trained image network, config and weights together.
//   bytes 0..7   "NLMODEL" and a zero byte
//   8..11        uint32 LE format version (kModelVersion)
//   12..19       uint64 LE length of the JSON header
//   20..         the JSON header: {"config": {the image config}, ...what the trainer recorded}
//   then         uint64 LE weight count, equal to the config's parameter count
//   then         the weights as float32 LE, layer by layer in Network::params() order
// and nothing after. Saved atomically (temp file, fsync, rename); a truncated, corrupt or
// unknown-version file is refused with "FILE: reason".
#include <cstdint>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "nn/image_network.hpp"

namespace netlens::nn {

inline constexpr std::uint32_t kModelVersion = 1;

struct Model {
  nlohmann::json header;  // header["config"] built the network
  ImageNetworkSpec spec;
  Network network;
};

std::string model_bytes(const nlohmann::json& header, Network& network);
void save_model(const std::filesystem::path& path, const nlohmann::json& header, Network& network);
// A .nlmodel file, or a .onnx file imported (nn/onnx/import): every command that takes --model.
Model load_model(const std::filesystem::path& path);
// load_model for the commands that show images (infer, lurk, explain, dream): a network of a
// flat input (an imported MLP, a Playground network) is refused, naming what it takes.
Model load_image_model(const std::filesystem::path& path);
// The same from a file's bytes; `name` prefixes the errors.
Model parse_model(std::string_view bytes, const std::string& name);
// The bytes of a file named `name` (a .nlmodel or a .onnx, by its magic and extension) read as
// load_model reads that file: an upload is checked with this before it is written.
Model model_from_bytes(std::string_view bytes, const std::string& name);

}  // namespace netlens::nn
