// Fuzz target: the bytes of a model file (netlens infer --model, the Digits view), read by
// nn::parse_model. Any input must either give a network whose weights fill the file exactly or
// throw netlens::Error, and never allocate more than the file's size allows (-malloc_limit_mb).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/error.hpp"
#include "nn/model_file.hpp"

using namespace netlens;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    nn::Model m = nn::parse_model(bytes, "fuzz.nlmodel");
    if (m.network.param_count() * sizeof(float) > size) std::abort();
  } catch (const Error&) {
  }
  return 0;
}
