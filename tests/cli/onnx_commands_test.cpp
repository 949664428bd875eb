// `netlens export` and `netlens import`: a Playground network exported as ONNX passes the
// checker and imports back computing what the session computes; bad files exit 2 naming them.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "core/atomic_file.hpp"
#include "nn/model_file.hpp"
#include "support/run_netlens.hpp"
#include "train/playground_export.hpp"
#include "train/session.hpp"

using namespace netlens;

namespace {

// A Playground session of the circle example, trained a little, its export written to a file.
std::string exported_playground(train::Session& session) {
  for (int e = 0; e < 3; ++e) session.train_epoch();
  const std::string path = test::temp_path("playground.json");
  write_file_atomically(path, train::export_model(session).dump());
  return path;
}

}  // namespace

TEST(OnnxCommands, APlaygroundExportPassesTheCheckerAndImportsBackComputingTheSame) {
  train::Session session(train::load_run_spec(NETLENS_SOURCE_DIR "/examples/circle.json"));
  const std::string json_path = exported_playground(session), onnx_path = test::temp_path("playground.onnx");
  const auto r = test::run_netlens("export --model " + json_path + " --out " + onnx_path);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("ONNX opset 13"), std::string::npos) << r.out;
  EXPECT_EQ(std::system(("/usr/bin/python3 -c \"import onnx; onnx.checker.check_model(onnx.load('" + onnx_path + "'))\"").c_str()), 0);

  const std::string nlmodel = test::temp_path("playground.nlmodel");
  const auto imported = test::run_netlens("import " + onnx_path + " --out " + nlmodel);
  ASSERT_EQ(imported.status, 0) << imported.err;
  EXPECT_NE(imported.out.find("saved " + nlmodel), std::string::npos) << imported.out;
  nn::Model back = nn::load_model(nlmodel);
  const nn::Network& net = session.network();
  const int batch = 4;
  nn::Workspace a = net.make_workspace(batch), b = back.network.make_workspace(batch);
  for (std::size_t i = 0; i < a.input().size(); ++i) a.input().data()[i] = b.input().data()[i] = 0.37f * static_cast<float>(i) - 1;
  const Tensor& ya = net.forward(a, batch);
  const Tensor& yb = back.network.forward(b, batch);
  for (int i = 0; i < batch; ++i) EXPECT_NEAR(ya.data()[i], yb.data()[i], 1e-6) << i;
  for (const auto& p : {json_path, onnx_path, nlmodel}) std::remove(p.c_str());
}

TEST(OnnxCommands, TruncatedAndNonOnnxFilesExitTwoNamingThem) {
  const std::string path = test::temp_path("truncated.onnx");
  std::ofstream(path) << "\x08\x07\x12\x07pytorch\x3a\xff\xff";
  for (const std::string& cmd : {"import " + path, "infer --index 0 --model " + path, "export --out x.onnx --model " + path}) {
    const auto r = test::run_netlens(cmd);
    EXPECT_EQ(r.status, 2) << cmd;
    EXPECT_NE(r.err.find(path + ": onnx: not a readable ONNX model: the file is truncated or corrupt"), std::string::npos) << r.err;
  }
  const auto txt = test::run_netlens("import " + test::temp_path("model.txt"));
  EXPECT_EQ(txt.status, 2);
  EXPECT_NE(txt.err.find("import reads ONNX models (.onnx files)"), std::string::npos) << txt.err;
  std::remove(path.c_str());
}

TEST(OnnxCommands, ImageCommandsRefuseANetworkOfFeaturesNamingWhatItTakes) {
  train::Session session(train::load_run_spec(NETLENS_SOURCE_DIR "/examples/circle.json"));
  const std::string json_path = exported_playground(session), onnx_path = test::temp_path("features.onnx");
  ASSERT_EQ(test::run_netlens("export --model " + json_path + " --out " + onnx_path).status, 0);
  const auto r = test::run_netlens("infer --index 0 --model " + onnx_path);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("this network takes 2 features, not an image"), std::string::npos) << r.err;
  for (const auto& p : {json_path, onnx_path}) std::remove(p.c_str());
}
