#pragma once
// The values of an ONNX TensorProto (an initializer, a Constant node's value, a test data file)
// as float32 or int64, its declared size checked against the data it carries before anything
// is allocated for it. Other element types, external data and segments are refused.
#include <cstdint>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

namespace netlens::nn::onnx_model {

struct TensorData {
  std::vector<std::int64_t> dims;
  bool integer = false;          // int64 (shape operands) rather than float32
  std::vector<float> floats;     // when !integer
  std::vector<std::int64_t> ints;  // when integer
  std::size_t size() const { return integer ? ints.size() : floats.size(); }
};

// Throws Error(where, reason): "where: stores its values as DOUBLE; netlens reads float32 weights
// (re-export the model in float32)".
TensorData read_tensor(const onnx::TensorProto& t, const std::string& where);

// The product of dims, or Error when a dimension is negative or the product overflows `limit`.
std::size_t element_count(const std::vector<std::int64_t>& dims, std::size_t limit, const std::string& where);

std::string dims_string(const std::vector<std::int64_t>& dims);  // "[4, 1, 3, 3]"

}  // namespace netlens::nn::onnx_model
