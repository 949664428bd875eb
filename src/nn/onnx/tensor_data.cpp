#include "nn/onnx/tensor_data.hpp"

#include <bit>
#include <cstring>

#include "core/error.hpp"

namespace netlens::nn::onnx_model {

static_assert(std::endian::native == std::endian::little, "ONNX raw_data is little-endian, as is this machine");

namespace {

// No tensor netlens reads holds more than this many values (kMaxImageParams is 64 Mi weights).
constexpr std::size_t kMaxValues = std::size_t{1} << 28;

template <class T, class Repeated>
std::vector<T> values_of(const onnx::TensorProto& t, const Repeated& typed, std::size_t n, const std::string& where) {
  std::vector<T> out;
  if (t.has_raw_data()) {
    if (t.raw_data().size() != n * sizeof(T))
      throw Error(where, "holds " + std::to_string(t.raw_data().size()) + " bytes of data, but its shape needs " +
                             std::to_string(n * sizeof(T)) + ": the file is corrupt");
    out.resize(n);
    std::memcpy(out.data(), t.raw_data().data(), n * sizeof(T));
    return out;
  }
  if (static_cast<std::size_t>(typed.size()) != n)
    throw Error(where, "holds " + std::to_string(typed.size()) + " values, but its shape needs " + std::to_string(n) +
                           ": the file is corrupt");
  out.assign(typed.begin(), typed.end());
  return out;
}

}  // namespace

std::size_t element_count(const std::vector<std::int64_t>& dims, std::size_t limit, const std::string& where) {
  std::size_t n = 1;
  for (std::int64_t d : dims) {
    if (d < 0) throw Error(where, "has a negative dimension in its shape " + dims_string(dims));
    if (d != 0 && n > limit / static_cast<std::size_t>(d))
      throw Error(where, "shape " + dims_string(dims) + " is too large (more than " + std::to_string(limit) + " values)");
    n *= static_cast<std::size_t>(d);
  }
  return n;
}

std::string dims_string(const std::vector<std::int64_t>& dims) {
  std::string s = "[";
  for (std::size_t i = 0; i < dims.size(); ++i) s += (i ? ", " : "") + std::to_string(dims[i]);
  return s + "]";
}

TensorData read_tensor(const onnx::TensorProto& t, const std::string& where) {
  if (t.data_location() == onnx::TensorProto::EXTERNAL || t.external_data_size() > 0)
    throw Error(where, "stores its values in an external file; netlens reads single-file models (re-export without "
                       "external data: the model under 2 GB)");
  if (t.has_segment()) throw Error(where, "is split into segments, which netlens does not read");
  TensorData d;
  d.dims.assign(t.dims().begin(), t.dims().end());
  const std::size_t n = element_count(d.dims, kMaxValues, where);
  if (t.data_type() == onnx::TensorProto::FLOAT) {
    d.floats = values_of<float>(t, t.float_data(), n, where);
  } else if (t.data_type() == onnx::TensorProto::INT64) {
    d.integer = true;
    d.ints = values_of<std::int64_t>(t, t.int64_data(), n, where);
  } else {
    const std::string type = onnx::TensorProto::DataType_IsValid(t.data_type())
                                 ? onnx::TensorProto::DataType_Name(static_cast<onnx::TensorProto::DataType>(t.data_type()))
                                 : "type " + std::to_string(t.data_type());
    throw Error(where, "stores its values as " + type +
                           "; netlens reads float32 weights (and int64 shapes): re-export the model in float32");
  }
  return d;
}

}  // namespace netlens::nn::onnx_model
