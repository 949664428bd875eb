// torch.onnx.export's models (tests/nn/onnx/torch_models.py, which ctest runs first: the fixture
// onnx_torch_models writes them to ONNX_TORCH_MODELS) imported by
// netlens: their outputs equal PyTorch's on the saved inputs to 1e-5; the residual block, the
// LSTM and exact GELU are refused naming their node.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "nn/onnx/onnx_support.hpp"

using namespace netlens;
namespace fs = std::filesystem;

namespace {

fs::path models_dir() { return ONNX_TORCH_MODELS; }

class TorchOnnx : public ::testing::TestWithParam<std::string> {};

std::string refusal(const std::string& name) {
  try {
    nn::load_model(models_dir() / name / "model.onnx");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_P(TorchOnnx, OutputsEqualPyTorchs) {
  const fs::path dir = models_dir() / GetParam();
  const nn::Model m = nn::load_model(dir / "model.onnx");
  const auto x = test::read_tensor_file(dir / "test_data_set_0" / "input_0.pb");
  const auto y = test::read_tensor_file(dir / "test_data_set_0" / "output_0.pb");
  EXPECT_EQ(m.header["source"], "onnx");
  test::expect_close(test::run_model(m, x.floats, static_cast<int>(x.dims[0])), y.floats, 1e-5);
}

INSTANTIATE_TEST_SUITE_P(Opsets, TorchOnnx,
                         ::testing::Values("mlp_opset13", "mlp_opset14", "mlp_opset17", "cnn_opset13", "cnn_opset14",
                                           "cnn_opset17", "cnn_view_opset13", "cnn_view_opset14", "cnn_view_opset17",
                                           "conv_bn_opset13", "conv_bn_opset14", "conv_bn_opset17", "activations_opset13",
                                           "activations_opset14", "activations_opset17"));

TEST(TorchOnnxModels, ConvBatchNormIsFoldedIntoTheConv) {
  // The file keeps its BatchNormalization nodes (exported without constant folding).
  const std::string bytes = test::read_bytes(models_dir() / "conv_bn_opset14" / "model.onnx");
  EXPECT_NE(bytes.find("BatchNormalization"), std::string::npos);
  const nn::Model m = nn::load_model(models_dir() / "conv_bn_opset14" / "model.onnx");
  EXPECT_EQ(m.spec.layers[0].type, "conv");
  EXPECT_EQ(m.spec.layers[1].type, "relu");
}

TEST(TorchOnnxModels, ViewWithDynamicBatchRunsAnyBatch) {
  const nn::Model m = nn::load_model(models_dir() / "cnn_view_opset17" / "model.onnx");
  const auto x = test::read_tensor_file(models_dir() / "cnn_view_opset17" / "test_data_set_0" / "input_0.pb");
  const auto y = test::read_tensor_file(models_dir() / "cnn_view_opset17" / "test_data_set_0" / "output_0.pb");
  const std::vector<float> first(x.floats.begin(), x.floats.begin() + 256);
  test::expect_close(test::run_model(m, first, 1), std::vector<float>(y.floats.begin(), y.floats.begin() + 10), 1e-5);
}

TEST(TorchOnnxModels, ResidualBlockIsRefusedAtItsAdd) {
  EXPECT_NE(refusal("refuse_residual").find("onnx: node 3 \"/Add\" (Add): joins two computed tensors"), std::string::npos)
      << refusal("refuse_residual");
}

TEST(TorchOnnxModels, LstmIsRefusedNamingIt) {
  const std::string e = refusal("refuse_lstm");
  EXPECT_NE(e.find("\"/lstm/LSTM\" (LSTM): not supported; netlens imports feed-forward chains of Gemm"), std::string::npos) << e;
}

TEST(TorchOnnxModels, ExactGeluIsRefusedWithTheExportToUse) {
  const std::string e = refusal("refuse_gelu");
  EXPECT_NE(e.find("\"/1/Div\" (Div): computes the exact GELU"), std::string::npos) << e;
  EXPECT_NE(e.find("approximate='tanh'"), std::string::npos) << e;
}
