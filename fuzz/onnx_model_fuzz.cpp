// Fuzz target: the bytes of an ONNX model (netlens import, every --model), read by
// nn::import_onnx. Any input must either give a network whose weights fit in the file or throw
// netlens::Error, and never allocate more than the file's size allows (-malloc_limit_mb).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/error.hpp"
#include "nn/onnx/import.hpp"

using namespace netlens;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    nn::Model m = nn::import_onnx(bytes, "fuzz.onnx");
    // Weights come from the file; a missing bias (MatMul, Conv) adds at most as many again.
    if (m.network.param_count() * sizeof(float) > 2 * size) std::abort();
  } catch (const Error&) {
  }
  return 0;
}
