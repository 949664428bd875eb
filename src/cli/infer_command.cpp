// netlens infer --model FILE [--image PNG | --index N] [--top K] [--json]: runs a trained image
// network on one image, a PNG (prepared as MNIST's digits were: cropped, scaled to 20×20,
// centred by mass in 28×28) or test image N of the model's data set, and prints the top
// classes with their probabilities.
#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>
#include <numeric>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"
#include "data/digit_image.hpp"
#include "data/idx.hpp"
#include "data/png_image.hpp"
#include "data/resize.hpp"
#include "nn/layers/softmax.hpp"
#include "nn/model_file.hpp"
#include "train/image_data.hpp"

namespace netlens::cli {

namespace {

struct InferOptions {
  std::string model, image, data_dir;
  int index = -1;
  int top = 3;
  bool json = false;
};

// The 28 × 28 image to classify and, for --index, its label.
std::vector<float> input_image(const InferOptions& o, const std::string& dataset, int& label) {
  if (!o.image.empty()) {
    const data::GrayImage g = data::read_png_gray(o.image);
    std::vector<float> digit = data::prepare_digit(g.values, g.height, g.width);
    if (std::all_of(digit.begin(), digit.end(), [](float v) { return v == 0.0f; }))
      std::cerr << "netlens: warning: " << o.image << " is blank (no ink found): the classes below mean nothing\n";
    return digit;
  }
  const data::ImageSet test = data::load_image_set(o.data_dir.empty() ? train::dataset_dir(dataset) : o.data_dir, "t10k");
  if (o.index >= test.size())
    throw Error("--index", std::to_string(o.index) + " is past the test set's " + std::to_string(test.size()) + " images");
  label = test.labels[static_cast<std::size_t>(o.index)];
  const auto n = static_cast<std::size_t>(test.rows * test.cols);
  const float* row = test.images.data() + static_cast<std::size_t>(o.index) * n;
  std::vector<float> image(784);
  data::resize_area(row, test.rows, test.cols, image.data(), 28, 28);
  return image;
}

int run_infer(const InferOptions& o) {
  nn::Model model = nn::load_image_model(o.model);
  const std::string dataset = model.header.value("dataset", "mnist");
  int label = -1;
  const std::vector<float> image = input_image(o, dataset, label);

  const int size = model.spec.input_size;
  nn::Workspace ws = model.network.make_workspace(1);
  data::resize_area(image.data(), 28, 28, ws.input().data(), size, size);
  const Tensor& logits = model.network.forward(ws, 1);
  const int k = model.spec.num_classes;
  std::vector<float> p(static_cast<std::size_t>(k));
  nn::softmax_row(logits.data(), p.data(), k);
  std::vector<int> order(static_cast<std::size_t>(k));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return p[static_cast<std::size_t>(a)] > p[static_cast<std::size_t>(b)]; });
  order.resize(static_cast<std::size_t>(std::min(o.top, k)));

  const auto names = model.header.value("classes", train::class_names(dataset));
  auto name = [&](int c) { return c < static_cast<int>(names.size()) ? names[static_cast<std::size_t>(c)] : std::to_string(c); };
  if (o.json) {
    nlohmann::json top = nlohmann::json::array();
    for (int c : order) top.push_back({{"class", c}, {"name", name(c)}, {"probability", p[static_cast<std::size_t>(c)]}});
    nlohmann::json j{{"top", top}};
    if (label >= 0) j["label"] = label;
    std::cout << j.dump() << "\n";
  } else {
    if (label >= 0) std::cout << "test image " << o.index << ", label " << label << " (" << name(label) << ")\n";
    for (int c : order) std::printf("%-12s %6.2f%%\n", name(c).c_str(), 100 * p[static_cast<std::size_t>(c)]);
  }
  return 0;
}

}  // namespace

void add_infer_command(CLI::App& app, int& status) {
  auto o = std::make_shared<InferOptions>();
  CLI::App* cmd = app.add_subcommand("infer", "Classify one image with a trained model");
  cmd->add_option("--model", o->model, "Model file written by netlens train --config, or an ONNX model (.onnx)")->required();
  auto* image = cmd->add_option("--image", o->image, "A PNG image (a digit, any size, dark or light ink)");
  auto* index = cmd->add_option("--index", o->index, "Test image N of the model's data set")->check(whole_number(0));
  image->excludes(index);
  cmd->add_option("--data-dir", o->data_dir, "Folder of the IDX files (default: the data set's own)")->needs(index);
  cmd->add_option("--top", o->top, "Classes to print")->check(whole_number(1, 1000));
  cmd->add_flag("--json", o->json, "Print one JSON object");
  cmd->callback([o, cmd, &status] {
    if (cmd->count("--image") + cmd->count("--index") == 0) throw CLI::RequiredError("--image or --index");
    status = run_infer(*o);
  });
}

}  // namespace netlens::cli
