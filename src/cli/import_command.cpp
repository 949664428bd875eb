// netlens import MODEL.onnx [--out FILE.nlmodel]: reads an ONNX model (nn/onnx/import), prints its
// layers and saves it as a netlens model file (by default beside it, MODEL.nlmodel). Every command
// that takes --model also reads the .onnx file directly; this keeps the import.
#include <iostream>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "nn/model_file.hpp"
#include "nn/onnx/import.hpp"

namespace netlens::cli {

namespace {

struct ImportOptions {
  std::string model, out;
};

std::string layer_text(const nn::LayerSpec& l) {
  if (l.type == "conv")
    return "conv " + std::to_string(l.out_channels) + " " + std::to_string(l.filter_size) + "×" +
           std::to_string(l.filter_size) + (l.stride > 1 ? " stride " + std::to_string(l.stride) : "") +
           (l.padding > 0 ? " pad " + std::to_string(l.padding) : "");
  if (l.type == "maxpool" || l.type == "avgpool")
    return l.type + " " + std::to_string(l.filter_size) + "×" + std::to_string(l.filter_size) +
           (l.stride != l.filter_size ? " stride " + std::to_string(l.stride) : "");
  if (l.type == "dense") return "dense " + std::to_string(l.out_features);
  return l.type;
}

int run_import(const ImportOptions& o) {
  const std::filesystem::path in(o.model);
  if (in.extension() != ".onnx") throw Error(o.model, "import reads ONNX models (.onnx files)");
  nn::Model model = nn::load_model(in);
  const std::filesystem::path out = o.out.empty() ? std::filesystem::path(in).replace_extension(".nlmodel") : std::filesystem::path(o.out);
  nn::save_model(out, model.header, model.network);
  std::string chain;
  for (const auto& l : model.spec.layers) chain += (chain.empty() ? "" : " → ") + layer_text(l);
  std::cout << o.model << ": " << shape_string(model.network.input_shape()) << " → " << chain << " ("
            << model.network.param_count() << " parameters)\n"
            << "saved " << out.string() << "\n";
  return 0;
}

}  // namespace

void add_import_command(CLI::App& app, int& status) {
  auto o = std::make_shared<ImportOptions>();
  CLI::App* cmd = app.add_subcommand("import", "Import an ONNX model (a feed-forward chain) as a netlens model file");
  cmd->add_option("model", o->model, "The ONNX model, e.g. from torch.onnx.export")->required();
  cmd->add_option("--out", o->out, "The netlens model file to write (default: the model's name with .nlmodel)");
  cmd->callback([o, &status] { status = run_import(*o); });
}

}  // namespace netlens::cli
