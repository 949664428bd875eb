// Fuzz target: an image network config's text (netlens train --config), read as the CLI reads
// it (parse_json, then parse_image_config). Any input must either give a config within the
// network limits or throw netlens::Error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/error.hpp"
#include "core/json.hpp"
#include "train/image_config.hpp"

using namespace netlens;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const train::ImageConfig c = train::parse_image_config(parse_json(text, "config.json"));
    if (c.network.param_count > nn::kMaxImageParams) std::abort();
  } catch (const Error&) {
  }
  return 0;
}
