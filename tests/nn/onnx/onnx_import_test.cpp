// ONNX import of models built here node by node: what it folds (MatMul+Add, BatchNormalization
// after a Gemm) and what it refuses, with the reason, before anything is built.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "nn/onnx/import.hpp"
#include "nn/onnx/onnx_support.hpp"

using namespace netlens;

namespace {

struct Builder {
  onnx::ModelProto m;
  onnx::GraphProto& g = *m.mutable_graph();

  explicit Builder(int features, int opset = 14) {
    m.set_ir_version(8);
    auto& o = *m.add_opset_import();
    o.set_version(opset);
    input("x", features);
  }
  void input(const std::string& name, int features) {
    auto& v = *g.add_input();
    v.set_name(name);
    auto& t = *v.mutable_type()->mutable_tensor_type();
    t.set_elem_type(onnx::TensorProto::FLOAT);
    t.mutable_shape()->add_dim()->set_dim_param("N");
    t.mutable_shape()->add_dim()->set_dim_value(features);
  }
  onnx::TensorProto& weight(const std::string& name, std::vector<std::int64_t> dims, std::vector<float> values) {
    auto& t = *g.add_initializer();
    t.set_name(name);
    t.set_data_type(onnx::TensorProto::FLOAT);
    for (auto d : dims) t.add_dims(d);
    for (float v : values) t.add_float_data(v);
    return t;
  }
  onnx::NodeProto& node(const std::string& op, std::vector<std::string> in, const std::string& out) {
    auto& n = *g.add_node();
    n.set_name("/" + op);
    n.set_op_type(op);
    for (const auto& i : in) n.add_input(i);
    n.add_output(out);
    return n;
  }
  void output(const std::string& name) { g.add_output()->set_name(name); }
  std::string bytes() const {
    std::string b;
    m.SerializeToString(&b);
    return b;
  }
};

std::string import_refusal(const std::string& bytes) {
  try {
    nn::import_onnx(bytes, "m.onnx");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// y = x W + b through MatMul and Add: 2 inputs, 3 outputs.
Builder matmul_add() {
  Builder b(2);
  b.weight("W", {2, 3}, {1, 2, 3, 4, 5, 6});
  b.weight("b", {3}, {0.5f, -1, 2});
  b.node("MatMul", {"x", "W"}, "h");
  b.node("Add", {"h", "b"}, "y");
  b.output("y");
  return b;
}

}  // namespace

TEST(OnnxImport, MatMulAndAddBecomeOneDenseLayer) {
  const nn::Model m = nn::import_onnx(matmul_add().bytes(), "m.onnx");
  ASSERT_EQ(m.spec.layers.size(), 1u);
  EXPECT_EQ(m.spec.layers[0].type, "dense");
  test::expect_close(test::run_model(m, {1, -1}, 1), {1 - 4 + 0.5f, 2 - 5 - 1, 3 - 6 + 2}, 1e-6);
}

TEST(OnnxImport, BatchNormalizationAfterGemmIsFoldedIntoIt) {
  Builder b(1);
  b.weight("W", {2, 1}, {2, 3});  // transB: (out, in)
  b.weight("c", {2}, {1, 1});
  for (auto [name, v] : std::vector<std::pair<std::string, std::vector<float>>>{
           {"scale", {2, 1}}, {"shift", {0, 10}}, {"mean", {1, 0}}, {"var", {3, 0}}})
    b.weight(name, {2}, v);
  auto& gemm = b.node("Gemm", {"x", "W", "c"}, "h");
  auto* a = gemm.add_attribute();
  a->set_name("transB"), a->set_type(onnx::AttributeProto::INT), a->set_i(1);
  auto& bn = b.node("BatchNormalization", {"h", "scale", "shift", "mean", "var"}, "y");
  a = bn.add_attribute();
  a->set_name("epsilon"), a->set_type(onnx::AttributeProto::FLOAT), a->set_f(1);
  b.output("y");
  const nn::Model m = nn::import_onnx(b.bytes(), "m.onnx");
  ASSERT_EQ(m.spec.layers.size(), 1u);
  // x = 1: h = (3, 4); y = scale (h - mean) / sqrt(var + 1) + shift = (2·2/2, 4/1 + 10)
  test::expect_close(test::run_model(m, {1}, 1), {2, 14}, 1e-6);
}

TEST(OnnxImport, TruncatedAndCorruptFilesAreRefused) {
  const std::string bytes = matmul_add().bytes();
  EXPECT_EQ(import_refusal(bytes.substr(0, bytes.size() / 2)),
            "m.onnx: onnx: not a readable ONNX model: the file is truncated or corrupt (protobuf could not parse it)");
  EXPECT_EQ(import_refusal("NLMODEL? not really"),
            "m.onnx: onnx: not a readable ONNX model: the file is truncated or corrupt (protobuf could not parse it)");
  EXPECT_EQ(import_refusal(""), "m.onnx: onnx: not a readable ONNX model: the file is truncated or corrupt (protobuf could not parse it)");
}

TEST(OnnxImport, DeclaredSizesAreCheckedAgainstTheDataBeforeAllocating) {
  Builder b = matmul_add();
  auto& w = *b.g.mutable_initializer(0);
  w.clear_dims();
  w.add_dims(1 << 20), w.add_dims(1 << 20);  // 2^40 values declared, 6 present
  EXPECT_NE(import_refusal(b.bytes()).find("initializer \"W\": shape [1048576, 1048576] is too large"), std::string::npos)
      << import_refusal(b.bytes());
  w.clear_dims();
  w.add_dims(2), w.add_dims(4);
  EXPECT_NE(import_refusal(b.bytes()).find("holds 6 values, but its shape needs 8: the file is corrupt"), std::string::npos);
}

TEST(OnnxImport, NonFloatWeightsAndExternalDataAreRefused) {
  Builder b = matmul_add();
  b.g.mutable_initializer(0)->set_data_type(onnx::TensorProto::DOUBLE);
  EXPECT_NE(import_refusal(b.bytes()).find("initializer \"W\": stores its values as DOUBLE; netlens reads float32 weights"),
            std::string::npos);
  Builder e = matmul_add();
  e.g.mutable_initializer(0)->set_data_location(onnx::TensorProto::EXTERNAL);
  EXPECT_NE(import_refusal(e.bytes()).find("stores its values in an external file; netlens reads single-file models"),
            std::string::npos);
}

TEST(OnnxImport, SeveralInputsOrOutputsAndOpsetsOutsideSevenToSeventeenAreRefused) {
  Builder two = matmul_add();
  two.input("z", 2);
  EXPECT_EQ(import_refusal(two.bytes()), "m.onnx: onnx: the graph has 2 inputs besides its weights; netlens imports networks of exactly one input");
  Builder outs = matmul_add();
  outs.output("h");
  EXPECT_EQ(import_refusal(outs.bytes()), "m.onnx: onnx: the graph has 2 outputs; netlens imports networks of exactly one output");
  Builder late = matmul_add();
  late.m.mutable_opset_import(0)->set_version(18);
  EXPECT_EQ(import_refusal(late.bytes()),
            "m.onnx: onnx: opset 18 is not supported: netlens reads opsets 7 to 17 (export with opset_version=14)");
}

TEST(OnnxImport, ControlFlowAndUnknownOpsAreRefusedNamingTheNode) {
  Builder b = matmul_add();
  b.node("If", {"y"}, "z");
  EXPECT_NE(import_refusal(b.bytes()).find("onnx: node 2 \"/If\" (If): not supported; netlens imports feed-forward chains of"),
            std::string::npos);
  Builder t = matmul_add();
  t.node("TopK", {"y"}, "z");
  EXPECT_NE(import_refusal(t.bytes()).find("node 2 \"/TopK\" (TopK): not supported"), std::string::npos);
}

TEST(OnnxImport, AttentionLikeMatMulOfTwoComputedTensorsIsRefused) {
  Builder b(2);
  b.weight("W", {2, 2}, {1, 0, 0, 1});
  b.node("MatMul", {"x", "W"}, "q");
  b.node("MatMul", {"q", "x"}, "y");
  b.output("y");
  EXPECT_NE(import_refusal(b.bytes()).find("node 1 \"/MatMul\" (MatMul): joins two computed tensors"), std::string::npos)
      << import_refusal(b.bytes());
}
