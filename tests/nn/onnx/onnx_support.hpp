#pragma once
// What the ONNX tests share: TensorProto files (the backend test data's input_0.pb / output_0.pb
// layout) and a model's output as its ONNX graph computes it (the folded softmax applied).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "nn/layers/softmax.hpp"
#include "nn/model_file.hpp"
#include "nn/onnx/tensor_data.hpp"

namespace netlens::test {

inline std::string read_bytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline nn::onnx_model::TensorData read_tensor_file(const std::filesystem::path& p) {
  onnx::TensorProto t;
  const std::string bytes = read_bytes(p);
  if (!t.ParseFromString(bytes)) throw std::runtime_error(p.string() + ": not a TensorProto");
  return nn::onnx_model::read_tensor(t, p.string());
}

// The model's output for a batch (the first dimension of x), softmax or log_softmax applied
// when the model ends with one, as the ONNX graph does.
inline std::vector<float> run_model(const nn::Model& m, const std::vector<float>& x, int batch) {
  nn::Workspace ws = m.network.make_workspace(batch);
  EXPECT_EQ(x.size(), static_cast<std::size_t>(batch) * shape_size(m.network.input_shape()));
  std::copy(x.begin(), x.end(), ws.input().data());
  const Tensor& y = m.network.forward(ws, batch);
  const auto k = static_cast<int>(shape_size(m.network.output_shape()));
  std::vector<float> out(y.data(), y.data() + static_cast<std::size_t>(batch) * k);
  if (nn::ends_with_softmax(m.spec)) {
    const bool log = m.spec.layers.back().type == "log_softmax";
    for (int b = 0; b < batch; ++b) {
      float* row = out.data() + static_cast<std::size_t>(b) * k;
      nn::softmax_row(row, row, k);
      if (log)
        for (int j = 0; j < k; ++j) row[j] = std::log(row[j]);
    }
  }
  return out;
}

inline void expect_close(const std::vector<float>& got, const std::vector<float>& want, double tolerance) {
  ASSERT_EQ(got.size(), want.size());
  double worst = 0;
  for (std::size_t i = 0; i < got.size(); ++i) worst = std::max(worst, std::abs(double(got[i]) - want[i]));
  EXPECT_LE(worst, tolerance) << "largest difference of " << got.size() << " outputs";
}

}  // namespace netlens::test
