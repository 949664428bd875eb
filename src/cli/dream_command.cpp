// netlens dream --model FILE --layer L --unit U [--steps N] [--seed S] [--tv W] [--l2 W] [--fourier]
//               [--count N [--diversity W]] [--out FILE.png] [--json]
// The image a unit dreams of (activation maximisation, probe/lurk/dream.hpp), with its readout:
// the unit's value on the dream against its best test image, and a flag for a flat image. With
// --count, a set of dreams pushed apart by the diversity term, side by side in the PNG.
#include <algorithm>
#include <cmath>
#include <iostream>

#include "cli/commands.hpp"
#include "probe/lurk/images.hpp"
#include "core/error.hpp"
#include "export/png.hpp"
#include "probe/lurk/attribution.hpp"
#include "probe/lurk/dream.hpp"

namespace netlens::cli {

using probe::lurk::LurkImages;
using probe::lurk::load_lurk_images;
using probe::lurk::model_dataset;

namespace {

constexpr int kDreamScale = 10;

struct DreamCommandOptions {
  std::string model, data, data_dir, out;
  int layer = -1, unit = 0, steps = 256, count = 1;
  float diversity = 0.3f;
  float tv = probe::lurk::DreamOptions{}.tv, l2 = probe::lurk::DreamOptions{}.l2;
  std::uint64_t seed = 1;
  bool fourier = false, json = false;
};

// The unit's best value over the test set (for a conv unit: at the dream's position), and where.
std::pair<float, int> best_test_value(probe::lurk::Backprop& one, const probe::lurk::Target& t, const LurkImages& test) {
  const std::size_t n = shape_size(one.shape(-1));
  float best = -INFINITY;
  int at = -1;
  for (int i = 0; i < test.size(); ++i) {
    std::copy_n(test.images.data() + static_cast<std::size_t>(i) * n, n, one.input().data());
    one.forward(1);
    const float v = one.value(t, 0);
    if (v > best) best = v, at = i;
  }
  return {best, at};
}

exports::IndexedImage side_by_side(const std::vector<probe::lurk::Dream>& set, int H, int W) {
  const int tile = W * kDreamScale, gap = kDreamScale;
  exports::IndexedImage img(static_cast<int>(set.size()) * (tile + gap) - gap, H * kDreamScale);
  for (std::size_t k = 0; k < set.size(); ++k)
    for (int y = 0; y < H * kDreamScale; ++y)
      for (int x = 0; x < tile; ++x)
        img.at(static_cast<int>(k) * (tile + gap) + x, y) =
            static_cast<std::uint8_t>(std::lround(255 * set[k].image[static_cast<std::size_t>((y / kDreamScale) * W + x / kDreamScale)]));
  return img;
}

int run_dream(const DreamCommandOptions& o) {
  nn::Model model = nn::load_image_model(o.model);
  probe::lurk::Backprop bp(model.network, o.count);
  probe::lurk::DreamOptions d;
  d.steps = o.steps;
  d.seed = o.seed;
  d.tv = o.tv;
  d.l2 = o.l2;
  d.fourier = o.fourier;
  d.count = o.count;
  d.diversity = o.count > 1 ? o.diversity : 0.0f;
  const std::vector<probe::lurk::Dream> set = probe::lurk::dreams(bp, o.layer, o.unit, d);
  const probe::lurk::Dream& r = set.front();
  const LurkImages test = load_lurk_images(model, model_dataset(model, o.data), "test", o.data_dir, 0);
  const auto [top1, top1_image] = best_test_value(bp, r.target, test);
  std::vector<int> predicted;
  for (const probe::lurk::Dream& one : set) {
    std::copy(one.image.begin(), one.image.end(), bp.input().data());
    bp.forward(1);
    predicted.push_back(probe::lurk::predicted_class(bp));
  }
  const Shape& in = model.network.input_shape();
  const int H = in[1], W = in[2];
  if (!o.out.empty()) {
    exports::Palette grays;
    for (int i = 0; i < 256; ++i) grays.push_back({static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(i)});
    exports::write_png(o.out, side_by_side(set, H, W), grays);
  }
  if (o.json) {
    nlohmann::json j{{"layer", r.target.layer}, {"unit", r.target.channel}, {"position", {r.target.y, r.target.x}},
                     {"field", {r.field.y0, r.field.x0, r.field.y1, r.field.x1}}, {"value", r.value},
                     {"initial_value", r.initial_value}, {"top1_test_value", top1}, {"top1_test_image", top1_image},
                     {"stddev", r.stddev}, {"flat", r.flat}, {"predicted", predicted.front()}, {"snapshots", r.snapshots},
                     {"height", H}, {"width", W}, {"image", r.image}};
    if (set.size() > 1) {  // the whole set, the first included, and how alike it ended
      nlohmann::json all = nlohmann::json::array();
      for (std::size_t k = 0; k < set.size(); ++k)
        all.push_back({{"value", set[k].value}, {"initial_value", set[k].initial_value}, {"stddev", set[k].stddev},
                       {"flat", set[k].flat}, {"predicted", predicted[k]}, {"image", set[k].image}});
      for (std::size_t k = 0; k < set.size(); ++k)
        std::copy(set[k].image.begin(), set[k].image.end(), bp.input().data() + k * set[k].image.size());
      bp.forward(o.count);
      j["set"] = all;
      j["diversity"] = {{"weight", d.diversity},
                        {"similarity", probe::lurk::seed_diversity(bp, probe::lurk::diversity_layer(model.network), o.count, 1.0f)},
                        {"layer", probe::lurk::diversity_layer(model.network)}};
    }
    std::cout << j.dump() << "\n";
    return 0;
  }
  std::printf("layer %d unit %d at (%d, %d): %.4g after %d steps (from %.4g); best test image %d: %.4g\n", r.target.layer,
              r.target.channel, r.target.y, r.target.x, r.value, o.steps, r.initial_value, top1_image, top1);
  for (std::size_t k = 1; k < set.size(); ++k)
    std::printf("dream %zu of the set: %.4g (from %.4g)%s\n", k + 1, set[k].value, set[k].initial_value, set[k].flat ? ", flat" : "");
  if (r.flat) std::printf("did not start: the image is flat (std %.2g); the unit may be dead\n", r.stddev);
  std::printf("the model classifies the dream%s as", set.size() > 1 ? "s" : "");
  for (int p : predicted) std::printf(" %d", p);
  std::printf("\n");
  if (!o.out.empty()) std::printf("wrote %s\n", o.out.c_str());
  return 0;
}

}  // namespace

void add_dream_command(CLI::App& app, int& status) {
  auto o = std::make_shared<DreamCommandOptions>();
  CLI::App* cmd = app.add_subcommand("dream", "The image a unit or class dreams of (activation maximisation)");
  cmd->add_option("--model", o->model, "Model file written by netlens train --config, or an ONNX model (.onnx)")->required();
  cmd->add_option("--layer", o->layer, "Layer index (an activation means the conv or dense layer before it)")->required();
  cmd->add_option("--unit", o->unit, "Channel or unit (a class at the last layer)")->required();
  cmd->add_option("--steps", o->steps, "Adam steps")->check(CLI::Range(1, 100000));
  cmd->add_option("--seed", o->seed, "Seed of the start and the transforms");
  cmd->add_option("--tv", o->tv, "Weight of the total-variation penalty")->check(CLI::Range(0.0, 100.0));
  cmd->add_option("--l2", o->l2, "Weight of the L2 penalty")->check(CLI::Range(0.0, 100.0));
  cmd->add_option("--count", o->count, "Dreams in a set, pushed apart by the diversity term")->check(CLI::Range(1, 16));
  cmd->add_option("--diversity", o->diversity, "With --count: the diversity gradient's size relative to the unit's")->check(CLI::Range(0.0, 10.0));
  cmd->add_option("--out", o->out, "PNG of the dream (a set side by side)");
  cmd->add_option("--data", o->data, "mnist or fashion-mnist (default: the model's own), for the readout");
  cmd->add_option("--data-dir", o->data_dir, "Folder of the IDX files (default: the data set's own)");
  cmd->add_flag("--fourier", o->fourier, "Optimise a 1/f spectrum rather than the pixels");
  cmd->add_flag("--json", o->json, "Print one JSON object");
  cmd->callback([o, &status] { status = run_dream(*o); });
}

}  // namespace netlens::cli
