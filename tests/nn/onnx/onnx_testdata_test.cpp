// ONNX's backend test models (Debian's libonnx-testdata) that fall inside what netlens imports:
// each imports and matches its expected output_0.pb. Node tests pass their weights as graph
// inputs (input_1.pb, ...); they are bound as initializers first, as a model file would hold them.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "nn/onnx/import.hpp"
#include "nn/onnx/onnx_support.hpp"

using namespace netlens;
namespace fs = std::filesystem;

namespace {

const fs::path kData = "/usr/share/libonnx-testdata/data";

// The model's bytes with every graph input but the first bound to its test_data_set_0 value.
std::string with_weights_bound(const fs::path& dir) {
  onnx::ModelProto m;
  EXPECT_TRUE(m.ParseFromString(test::read_bytes(dir / "model.onnx")));
  auto& g = *m.mutable_graph();
  for (int k = 1; k < g.input_size(); ++k) {
    onnx::TensorProto t;
    EXPECT_TRUE(t.ParseFromString(test::read_bytes(dir / "test_data_set_0" / ("input_" + std::to_string(k) + ".pb"))));
    t.set_name(g.input(k).name());
    *g.add_initializer() = t;
  }
  std::string bytes;
  m.SerializeToString(&bytes);
  return bytes;
}

class BackendTest : public ::testing::TestWithParam<std::string> {};

}  // namespace

TEST_P(BackendTest, ImportsAndMatchesItsExpectedOutput) {
  const fs::path dir = kData / GetParam();
  ASSERT_TRUE(fs::exists(dir / "model.onnx")) << dir << " is missing: install libonnx-testdata (scripts/bootstrap.sh)";
  const nn::Model m = nn::import_onnx(with_weights_bound(dir), GetParam());
  const auto x = test::read_tensor_file(dir / "test_data_set_0" / "input_0.pb");
  const auto y = test::read_tensor_file(dir / "test_data_set_0" / "output_0.pb");
  test::expect_close(test::run_model(m, x.floats, static_cast<int>(x.dims[0])), y.floats, 1e-5);
}

INSTANTIATE_TEST_SUITE_P(
    LibonnxTestdata, BackendTest,
    ::testing::Values("node/test_gemm_default_no_bias", "node/test_gemm_default_vector_bias",
                      "node/test_gemm_default_scalar_bias", "node/test_gemm_default_single_elem_vector_bias",
                      "node/test_gemm_default_zero_bias", "node/test_gemm_alpha", "node/test_gemm_beta",
                      "node/test_gemm_transposeB", "node/test_matmul_2d", "node/test_softmax_example",
                      "node/test_softmax_large_number", "node/test_logsoftmax_example_1",
                      "node/test_logsoftmax_large_number", "simple/test_single_relu_model"),
    [](const auto& test) { return test.param.substr(test.param.find('/') + 1); });

TEST(BackendTestRefusals, PytorchConvertedModelsOfOpset6AreRefusedByOpset) {
  try {
    nn::load_model(kData / "pytorch-converted/test_Linear/model.onnx");
    FAIL() << "imported";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("opset 6 is not supported: netlens reads opsets 7 to 17"), std::string::npos) << e.what();
  }
}

TEST(BackendTestRefusals, DilatedPaddedAndRecurrentModelsAreRefusedNamingTheNode) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"node/test_maxpool_2d_pads", "(MaxPool): padded pooling is not supported"},
      {"node/test_maxpool_2d_dilations", "(MaxPool): dilated windows are not supported"},
      {"node/test_maxpool_2d_ceil", "(MaxPool): ceil_mode=1 is not supported"},
      {"node/test_gemm_all_attributes", "(Gemm): transA=1 is not supported"},
      {"node/test_lstm_defaults", "(LSTM): not supported"},
  };
  for (const auto& [name, want] : cases) {
    try {
      nn::import_onnx(with_weights_bound(kData / name), name);
      ADD_FAILURE() << name << " imported";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(want), std::string::npos) << name << ": " << e.what();
    }
  }
}
