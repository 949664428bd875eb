// netlens lurk --model FILE [--data mnist|fashion-mnist] [--split train|test] [--top K]
//              [--limit N] [--out DIR] [--recompute] [--json]
// The dataset pass over a data set's images and, for every top image, its receptive-field box
// and the unit's gradients, written as the Lurk cache (export/lurk_cache.hpp) beside the model.
// A second call with the same weights and settings reads the cache; changed weights recompute it.
#include <chrono>
#include <iostream>

#include "cli/commands.hpp"
#include "export/lurk_cache.hpp"
#include "cli/progress_bar.hpp"
#include "core/error.hpp"
#include "train/image_data.hpp"

namespace netlens::cli {

using exports::default_lurk_dir;
using exports::LurkKey;
using exports::read_lurk_manifest;
using exports::read_lurk_partial;
using exports::write_lurk_cache;
using exports::write_lurk_partial;
using probe::lurk::LurkImages;
using probe::lurk::load_lurk_images;
using probe::lurk::model_dataset;
using probe::lurk::weights_hash;

namespace {

constexpr int kPartialEvery = 8192;  // images between saves of the partial pass

struct LurkOptions {
  std::string model, data, data_dir, split = "train", out;
  int top = 9, limit = 0;
  bool recompute = false, json = false;
};

nlohmann::json summary(const nlohmann::json& manifest, const std::string& dir, bool cached) {
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& l : manifest["layers"]) {
    int dead = 0;
    for (const auto& u : l["unit_stats"]) dead += u["dead_fraction"].get<double>() >= 1.0 ? 1 : 0;
    layers.push_back({{"layer", l["layer"]}, {"name", l["name"]}, {"units", l["units"]}, {"dead_units", dead}});
  }
  return {{"cache", dir}, {"cached", cached}, {"images", manifest["key"]["images"]}, {"seconds", manifest["seconds"]}, {"layers", layers}};
}

int run_lurk(const LurkOptions& o) {
  nn::Model model = nn::load_image_model(o.model);
  const std::string dataset = model_dataset(model, o.data);
  const LurkImages images = load_lurk_images(model, dataset, o.split, o.data_dir, o.limit);
  const std::filesystem::path dir = o.out.empty() ? default_lurk_dir(o.model, dataset, o.split) : std::filesystem::path(o.out);
  const LurkKey key{weights_hash(model), dataset, o.split, images.size(), o.top};

  bool cached = false;
  nlohmann::json manifest;
  if (!o.recompute)
    if (auto m = read_lurk_manifest(dir)) {
      if (key.matches((*m)["key"])) {
        manifest = std::move(*m);
        cached = true;
      } else {
        std::cerr << "netlens: " << (dir / "manifest.json").string() << " was made from other weights or settings; recomputing\n";
      }
    }
  if (!cached) {
    const auto start = std::chrono::steady_clock::now();
    probe::lurk::DatasetPass pass(model.network, model.spec.num_classes, o.top);
    if (!o.recompute)
      if (auto state = read_lurk_partial(dir, key)) pass.resume(*state);
    const std::size_t in = shape_size(model.network.input_shape());
    ProgressBar bar(images.size(), stderr);
    while (pass.images_seen() < images.size()) {
      const int first = pass.images_seen(), n = std::min(kPartialEvery, images.size() - first);
      for (int done = 0; done < n; done += 1024) {
        const int chunk = std::min(1024, n - done);
        pass.add(images.images.data() + static_cast<std::size_t>(first + done) * in, images.labels.data() + first + done, first + done, chunk);
        bar.update(pass.images_seen(), "images");
      }
      if (pass.images_seen() < images.size()) write_lurk_partial(dir, key, pass);
    }
    bar.finish();
    probe::lurk::Backprop bp(model.network, o.top);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    manifest = write_lurk_cache(dir, key, pass, bp, images, model.header.value("classes", train::class_names(dataset)), seconds);
  }
  const nlohmann::json s = summary(manifest, dir.string(), cached);
  if (o.json) {
    std::cout << s.dump() << "\n";
    return 0;
  }
  std::printf("%s %d %s images of %s: %s\n", cached ? "read the cached pass over" : "passed", s["images"].get<int>(),
              o.split.c_str(), dataset.c_str(), dir.string().c_str());
  if (!cached) std::printf("%.2f s\n", s["seconds"].get<double>());
  for (const auto& l : s["layers"])
    std::printf("layer %-3d %-28s %4d units, %d dead\n", l["layer"].get<int>(), l["name"].get<std::string>().c_str(),
                l["units"].get<int>(), l["dead_units"].get<int>());
  return 0;
}

}  // namespace

void add_lurk_command(CLI::App& app, int& status) {
  auto o = std::make_shared<LurkOptions>();
  CLI::App* cmd = app.add_subcommand("lurk", "Every unit's top images, where and why: the dataset pass, cached beside the model");
  cmd->add_option("--model", o->model, "Model file written by netlens train --config, or an ONNX model (.onnx)")->required();
  cmd->add_option("--data", o->data, "mnist or fashion-mnist (default: the model's own)");
  cmd->add_option("--data-dir", o->data_dir, "Folder of the IDX files (default: the data set's own)");
  cmd->add_option("--split", o->split, "train or test")->check(CLI::IsMember({"train", "test"}));
  cmd->add_option("--top", o->top, "Top images per unit")->check(CLI::Range(1, 100));
  cmd->add_option("--limit", o->limit, "Only the first N images (a subset)")->check(CLI::PositiveNumber);
  cmd->add_option("--out", o->out, "Cache folder (default: MODEL.lurk/DATA-SPLIT)");
  cmd->add_flag("--recompute", o->recompute, "Ignore an existing cache and partial pass");
  cmd->add_flag("--json", o->json, "Print one JSON object");
  cmd->callback([o, &status] { status = run_lurk(*o); });
}

}  // namespace netlens::cli
