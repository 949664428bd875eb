// ONNX import for the WebAssembly build, which leaves out libonnx and protobuf.
#include "core/error.hpp"
#include "nn/onnx/import.hpp"

namespace netlens::nn {

Model import_onnx(std::string_view, const std::string& name) {
  throw Error(name, "ONNX models need the netlens server (the in-page engine is built without libonnx)");
}

}  // namespace netlens::nn
