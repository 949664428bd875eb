#pragma once
// The Lurk cache: a dataset pass written beside the model as the Lurk view reads it.
//   <model>.lurk/<dataset>-<split>/manifest.json   settings, weights hash, per layer and unit:
//       mean, dead fraction, class histograms, top images (index, label, score, argmax, box)
//   layer<L>_top_max.png, _top_mean.png   the top images, a row of `top` tiles per unit
//   layer<L>_gradient.png, _guided.png    the vanilla and guided gradients of the unit at its
//       argmax on each top-max image (grey 128 is zero, the tile's largest |g| is 0 or 255)
//   partial.json                          the pass so far, while it runs (resumable)
// Every file is written atomically; the manifest last, so a manifest means a complete cache.
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "probe/lurk/images.hpp"
#include "probe/lurk/backprop.hpp"
#include "probe/lurk/dataset_pass.hpp"

namespace netlens::exports {

inline constexpr int kLurkCacheVersion = 1;

struct LurkKey {  // what a cache was computed from
  std::string weights_hash, dataset, split;
  int images = 0, top = 0;
  nlohmann::json json() const;
  bool matches(const nlohmann::json& j) const;  // the same key in a manifest or partial file
};

std::filesystem::path default_lurk_dir(const std::string& model, const std::string& dataset, const std::string& split);

// The manifest if `dir` holds one; throws Error("DIR/manifest.json: ...") when it is corrupt.
std::optional<nlohmann::json> read_lurk_manifest(const std::filesystem::path& dir);
// The partial pass's state if `dir` holds one made with `key` (else nothing).
std::optional<nlohmann::json> read_lurk_partial(const std::filesystem::path& dir, const LurkKey& key);
void write_lurk_partial(const std::filesystem::path& dir, const LurkKey& key, const probe::lurk::DatasetPass& pass);

// Writes the atlases and the manifest of a finished pass (removing partial.json); returns the manifest.
nlohmann::json write_lurk_cache(const std::filesystem::path& dir, const LurkKey& key, const probe::lurk::DatasetPass& pass,
                                probe::lurk::Backprop& bp, const probe::lurk::LurkImages& images,
                                const std::vector<std::string>& class_names, double seconds);

}  // namespace netlens::exports
