// netlens export --model FILE --out MODEL.onnx: writes a netlens network as an ONNX model
// (nn/onnx/export): an image network's model file (.nlmodel, or an imported .onnx), or a
// Playground network exported from the page (its JSON, format netlens-playground), whose ONNX
// input is the network's features (x1, x2, ...), named in the model's doc_string.
#include <iostream>

#include "cli/commands.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "nn/model_file.hpp"
#include "nn/onnx/export.hpp"
#include "train/playground_export.hpp"
#include "train/session.hpp"

namespace netlens::cli {

namespace {

struct ExportOptions {
  std::string model, out;
};

std::string playground_onnx(const std::string& path) {
  train::ImportedModel imported;
  try {
    imported = train::import_model(read_json_file(path, "model file"));
  } catch (const Error& e) {
    throw Error(path, std::string("import: ") + e.what());
  }
  train::Session session(imported.spec);
  session.load_params(imported.params);
  const train::RunSpec& spec = session.spec();
  std::string features;
  for (auto f : spec.features) features += (features.empty() ? "" : ", ") + std::string(data::feature_name(f));
  const bool softmax = spec.loss == nn::Loss::SoftmaxCrossEntropy;
  nn::OnnxExport how{softmax ? "Softmax" : "",
                     "A netlens Playground network (data set " + spec.dataset + ", epoch " + std::to_string(imported.epoch) +
                         "). Input: the features " + features + " of a point (x1, x2) in [-6, 6]^2. Output: " +
                         (softmax ? "the class probabilities."
                                  : spec.loss == nn::Loss::BinaryCrossEntropy ? "the logit of class 1."
                                                                                 : "the network's output (tanh: the class sign, or the regression value)."),
                     "features", "output"};
  return nn::export_onnx(session.network(), how);
}

std::string image_onnx(const std::string& path) {
  nn::Model model = nn::load_model(path);
  std::string final_op;
  if (nn::ends_with_softmax(model.spec)) final_op = model.spec.layers.back().type == "softmax" ? "Softmax" : "LogSoftmax";
  const std::string input = model.spec.input_features > 0 ? "features" : "image";
  return nn::export_onnx(model.network, {final_op, "A netlens network (" + path + ").", input, "output"});
}

int run_export(const ExportOptions& o) {
  const bool playground = std::filesystem::path(o.model).extension() == ".json";
  const std::string bytes = playground ? playground_onnx(o.model) : image_onnx(o.model);
  write_file_atomically(o.out, bytes);
  std::cout << "wrote " << o.out << " (" << bytes.size() << " bytes, ONNX opset " << nn::kExportOpset << ")\n";
  return 0;
}

}  // namespace

void add_export_command(CLI::App& app, int& status) {
  auto o = std::make_shared<ExportOptions>();
  CLI::App* cmd = app.add_subcommand("export", "Write a netlens model as an ONNX model");
  cmd->add_option("--model", o->model,
                  "A model file (.nlmodel or .onnx) or a Playground network exported from the page (.json)")
      ->required();
  cmd->add_option("--out", o->out, "The ONNX file to write")->required();
  cmd->callback([o, &status] { status = run_export(*o); });
}

}  // namespace netlens::cli
