// netlens explain --model FILE (--image PNG | --index N) --method NAME [--layer L] [--class C]
//                 [--out FILE.png] [--sanity] [--json] [method settings]
// Why the model gave a class for one input: the attribution map of one method (probe/lurk/
// attribution.hpp) as a PNG overlay on the input, and its values with --json; --sanity adds the
// cascading-randomisation check of the method (probe/lurk/sanity.hpp).
#include <algorithm>
#include <cmath>
#include <iostream>

#include "cli/commands.hpp"
#include "probe/lurk/images.hpp"
#include "core/error.hpp"
#include "export/colour.hpp"
#include "export/png.hpp"
#include "nn/layers/softmax.hpp"
#include "probe/lurk/attribution.hpp"
#include "probe/lurk/sanity.hpp"

namespace netlens::cli {

using probe::lurk::LurkImages;
using probe::lurk::load_lurk_images;
using probe::lurk::load_lurk_png;
using probe::lurk::model_dataset;

namespace {

constexpr int kScale = 10;  // output pixels per input pixel
constexpr int kLevels = 16; // grey levels x heat levels in the overlay's palette

struct ExplainOptions {
  std::string model, image, data, data_dir, method, out, baseline = "black";
  int index = -1, layer = -1, target = -1, steps = 50, samples = 25, window = 4, stride = 2;
  float noise = 0.15f;
  double tolerance = 0.01;
  bool sanity = false, json = false;
};

// The input in grey with |map| / max |map| over it in magma, scaled up kScale times.
void write_overlay(const std::string& path, const std::vector<float>& image, const std::vector<float>& map, int H, int W) {
  exports::Palette palette;
  for (int g = 0; g < kLevels; ++g)
    for (int h = 0; h < kLevels; ++h) {
      const auto v = static_cast<std::uint8_t>(g * 255 / (kLevels - 1));
      const double t = static_cast<double>(h) / (kLevels - 1);
      palette.push_back(exports::mix({v, v, v}, exports::colour_at(exports::ColourMap::Magma, t), 0.8 * t));
    }
  float m = 0;
  for (int p = 0; p < H * W; ++p) m = std::max(m, std::abs(map[static_cast<std::size_t>(p)]));
  exports::IndexedImage out(W * kScale, H * kScale);
  for (int y = 0; y < H * kScale; ++y)
    for (int x = 0; x < W * kScale; ++x) {
      const std::size_t p = static_cast<std::size_t>((y / kScale) * W + x / kScale);
      const int g = std::clamp(static_cast<int>(std::lround(image[p] * (kLevels - 1))), 0, kLevels - 1);
      const int h = m > 0 ? std::clamp(static_cast<int>(std::lround(std::abs(map[p]) / m * (kLevels - 1))), 0, kLevels - 1) : 0;
      out.at(x, y) = static_cast<std::uint8_t>(g * kLevels + h);
    }
  exports::write_png(path, out, palette);
}

int run_explain(const ExplainOptions& o) {
  nn::Model model = nn::load_image_model(o.model);
  const probe::lurk::Method method = probe::lurk::parse_method(o.method, "--method");
  const std::string dataset = model_dataset(model, o.data);
  std::vector<float> image;
  int label = -1;
  if (!o.image.empty()) {
    image = load_lurk_png(model, o.image);
  } else {
    const LurkImages test = load_lurk_images(model, dataset, "test", o.data_dir, 0);
    if (o.index >= test.size())
      throw Error("--index", std::to_string(o.index) + " is past the test set's " + std::to_string(test.size()) + " images");
    const std::size_t n = shape_size(model.network.input_shape());
    image.assign(test.images.begin() + static_cast<long>(o.index * n), test.images.begin() + static_cast<long>((o.index + 1) * n));
    label = test.labels[static_cast<std::size_t>(o.index)];
  }
  probe::lurk::AttributionOptions a;
  const int classes = model.spec.num_classes;
  if (o.target >= classes)
    throw Error("--class", std::to_string(o.target) + ": no such class; the model has " + std::to_string(classes) + " (0.." + std::to_string(classes - 1) + ")");
  a.target_class = o.target;
  if (o.layer >= 0) probe::lurk::check_layer(model.network, o.layer);
  a.layer = o.layer;
  a.steps = o.steps;
  a.tolerance = o.tolerance;
  a.samples = o.samples;
  a.noise_level = o.noise;
  a.window = o.window;
  a.stride = o.stride;
  a.baseline = probe::lurk::parse_baseline(o.baseline, "--baseline");
  if (a.baseline == probe::lurk::Baseline::Mean) {
    const LurkImages train = load_lurk_images(model, dataset, "train", o.data_dir, 0);
    const std::size_t n = image.size();
    a.mean_image.assign(n, 0.0f);
    for (int i = 0; i < train.size(); ++i)
      for (std::size_t p = 0; p < n; ++p) a.mean_image[p] += train.images[static_cast<std::size_t>(i) * n + p] / static_cast<float>(train.size());
  }
  probe::lurk::Backprop bp(model.network, 64);
  const probe::lurk::Attribution r = probe::lurk::attribute(bp, image, method, a);
  const Shape& in = model.network.input_shape();
  if (!o.out.empty()) write_overlay(o.out, image, r.map, in[1], in[2]);

  std::copy(image.begin(), image.end(), bp.input().data());
  bp.forward(1);
  std::vector<float> p(static_cast<std::size_t>(classes));
  nn::softmax_row(bp.activation(bp.layers() - 1).data(), p.data(), classes);
  std::vector<probe::lurk::SanityStep> sanity;
  if (o.sanity) {
    a.target_class = r.target_class;
    sanity = probe::lurk::cascading_randomisation(model.network, image, {method}, a);
  }
  if (o.json) {
    nlohmann::json j{{"method", std::string(probe::lurk::method_name(method))}, {"class", r.target_class},
                     {"probability", p[static_cast<std::size_t>(r.target_class)]}, {"predicted", probe::lurk::predicted_class(bp)},
                     {"output", r.output}, {"height", in[1]}, {"width", in[2]}, {"map", r.map}};
    if (label >= 0) j["label"] = label;
    if (probe::lurk::is_cam(method)) j["cam"] = {{"layer", r.layer}, {"height", r.cam_height}, {"width", r.cam_width}, {"values", r.cam}};
    if (method == probe::lurk::Method::IntegratedGradients)
      j["completeness"] = {{"baseline_output", r.baseline_output}, {"gap", r.completeness_gap}, {"steps", r.steps}};
    if (r.forward_passes > 0) j["forward_passes"] = r.forward_passes;
    if (o.sanity) {
      j["sanity"] = nlohmann::json::array();
      for (const auto& st : sanity) j["sanity"].push_back({{"randomised_from", st.layer}, {"name", st.name}, {"spearman", st.correlation[0]}});
    }
    std::cout << j.dump() << "\n";
    return 0;
  }
  std::printf("%s for class %d (p = %.3f)%s\n", std::string(probe::lurk::method_name(method)).c_str(), r.target_class,
              p[static_cast<std::size_t>(r.target_class)], label >= 0 ? (", label " + std::to_string(label)).c_str() : "");
  if (probe::lurk::is_cam(method)) std::printf("at layer %d, a %dx%d map\n", r.layer, r.cam_height, r.cam_width);
  if (method == probe::lurk::Method::IntegratedGradients)
    std::printf("completeness: sum = f(x) - f(x') %+.4g (f(x) = %.4g, f(x') = %.4g, %d steps)\n", r.completeness_gap, r.output,
                r.baseline_output, r.steps);
  for (const auto& st : sanity)
    std::printf("randomised from layer %2d %-24s Spearman %.3f\n", st.layer, st.name.c_str(), st.correlation[0]);
  if (!o.out.empty()) std::printf("wrote %s\n", o.out.c_str());
  return 0;
}

}  // namespace

void add_explain_command(CLI::App& app, int& status) {
  auto o = std::make_shared<ExplainOptions>();
  CLI::App* cmd = app.add_subcommand("explain", "Why the model gave a class for one image: an attribution map");
  cmd->add_option("--model", o->model, "Model file written by netlens train --config, or an ONNX model (.onnx)")->required();
  auto* image = cmd->add_option("--image", o->image, "A PNG image (a digit, any size, dark or light ink)");
  auto* index = cmd->add_option("--index", o->index, "Test image N of the model's data set")->check(CLI::NonNegativeNumber);
  image->excludes(index);
  cmd->add_option("--method", o->method, "One of: gradient, gradient_x_input, guided_backprop, deconvnet, grad_cam, "
                                         "guided_grad_cam, layer_cam, score_cam, smoothgrad, integrated_gradients, occlusion")
      ->required();
  cmd->add_option("--layer", o->layer, "The CAM layer (default: the last conv layer's activation)")->check(CLI::NonNegativeNumber);
  cmd->add_option("--class", o->target, "Target class (default: the predicted one)")->check(CLI::NonNegativeNumber);
  cmd->add_option("--out", o->out, "PNG overlay of the map on the input");
  cmd->add_option("--data", o->data, "mnist or fashion-mnist (default: the model's own)");
  cmd->add_option("--data-dir", o->data_dir, "Folder of the IDX files (default: the data set's own)");
  cmd->add_option("--steps", o->steps, "Integrated gradients: path steps, tripled up to 1350 until complete within the tolerance")->check(CLI::Range(1, 10000));
  cmd->add_option("--ig-tolerance", o->tolerance, "Integrated gradients: the completeness gap allowed, a fraction of f(x) - f(x') (0: the steps stay fixed)")->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--baseline", o->baseline, "Integrated gradients: black, blurred or mean");
  cmd->add_option("--samples", o->samples, "SmoothGrad: noisy samples")->check(CLI::Range(1, 10000));
  cmd->add_option("--noise", o->noise, "SmoothGrad: noise sigma as a fraction of the input's range")->check(CLI::Range(0.0, 10.0));
  cmd->add_option("--window", o->window, "Occlusion: window side in pixels")->check(CLI::PositiveNumber);
  cmd->add_option("--stride", o->stride, "Occlusion: window stride in pixels")->check(CLI::PositiveNumber);
  cmd->add_flag("--sanity", o->sanity, "Also randomise the weights from the top layer down and compare the maps");
  cmd->add_flag("--json", o->json, "Print one JSON object with the map's values");
  cmd->callback([o, cmd, &status] {
    if (cmd->count("--image") + cmd->count("--index") == 0) throw CLI::RequiredError("--image or --index");
    status = run_explain(*o);
  });
}

}  // namespace netlens::cli
