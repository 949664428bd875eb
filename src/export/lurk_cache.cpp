#include "export/lurk_cache.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "export/png.hpp"
#include "probe/lurk/receptive_field.hpp"
#include "probe/lurk/unit_gradients.hpp"

namespace netlens::exports {

namespace fs = std::filesystem;
using probe::lurk::DatasetPass;
using probe::lurk::ScoredLayer;
using probe::lurk::TopEntry;

namespace {

constexpr std::size_t kMaxCacheJsonBytes = 256u << 20;

exports::Palette grays() {
  exports::Palette p;
  for (int i = 0; i < 256; ++i) p.push_back({static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(i)});
  return p;
}

// A (units x top) grid of h x w tiles; tile(u, i) gives the values, paint maps them to 0..255.
struct Atlas {
  exports::IndexedImage image;
  int h, w;
  Atlas(int units, int top, int th, int tw) : image(top * tw, units * th), h(th), w(tw) {}
  void put(int u, int i, const float* v, bool signed_values) {
    float scale = 1.0f;
    if (signed_values) {
      float m = 0;
      for (int p = 0; p < h * w; ++p) m = std::max(m, std::abs(v[p]));
      scale = m > 0 ? 127.5f / m : 0.0f;
    }
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        const float t = signed_values ? 127.5f + v[y * w + x] * scale : 255.0f * v[y * w + x];
        image.at(i * w + x, u * h + y) = static_cast<std::uint8_t>(std::clamp(std::lround(t), 0L, 255L));
      }
  }
};

nlohmann::json read_cache_json(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string(), "cannot open");
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec || size > kMaxCacheJsonBytes) throw Error(path.string(), "not a readable Lurk cache file");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_json(ss.str(), path.string());
}

nlohmann::json entry_json(const TopEntry& e, const probe::lurk::LurkImages& images) {
  return {{"image", e.image}, {"label", images.labels[static_cast<std::size_t>(e.image)]}, {"score", e.score}};
}

}  // namespace

nlohmann::json LurkKey::json() const {
  return {{"weights_hash", weights_hash}, {"dataset", dataset}, {"split", split}, {"images", images}, {"top", top}};
}

bool LurkKey::matches(const nlohmann::json& j) const {
  return j.is_object() && j.value("weights_hash", "") == weights_hash && j.value("dataset", "") == dataset &&
         j.value("split", "") == split && j.value("images", -1) == images && j.value("top", -1) == top;
}

fs::path default_lurk_dir(const std::string& model, const std::string& dataset, const std::string& split) {
  return fs::path(model + ".lurk") / (dataset + "-" + split);
}

std::optional<nlohmann::json> read_lurk_manifest(const fs::path& dir) {
  const fs::path path = dir / "manifest.json";
  if (!fs::exists(path)) return std::nullopt;
  nlohmann::json m;
  try {
    m = read_cache_json(path);
  } catch (const Error& e) {
    throw Error(e.what(), "corrupt Lurk cache; delete it or run lurk with --recompute");
  }
  if (!m.is_object() || m.value("format", "") != "netlens-lurk" || m.value("version", 0) != kLurkCacheVersion ||
      !m.contains("layers") || !m["layers"].is_array())
    throw Error(path.string(), "not a netlens Lurk cache of version " + std::to_string(kLurkCacheVersion) +
                                   "; delete it or run lurk with --recompute");
  return m;
}

std::optional<nlohmann::json> read_lurk_partial(const fs::path& dir, const LurkKey& key) {
  const fs::path path = dir / "partial.json";
  if (!fs::exists(path)) return std::nullopt;
  try {
    nlohmann::json p = read_cache_json(path);
    if (key.matches(p.value("key", nlohmann::json()))) return p.at("state");
  } catch (const std::exception&) {
    // an unreadable partial pass is only lost work: start again
  }
  return std::nullopt;
}

void write_lurk_partial(const fs::path& dir, const LurkKey& key, const DatasetPass& pass) {
  fs::create_directories(dir);
  write_file_atomically(dir / "partial.json", nlohmann::json{{"key", key.json()}, {"state", pass.state()}}.dump());
}

nlohmann::json write_lurk_cache(const fs::path& dir, const LurkKey& key, const DatasetPass& pass, probe::lurk::Backprop& bp,
                                const probe::lurk::LurkImages& images, const std::vector<std::string>& class_names, double seconds) {
  fs::create_directories(dir);
  const Shape& in = bp.shape(-1);
  const int H = in[1], W = in[2], top = pass.top();
  const std::size_t n_in = shape_size(in);
  const exports::Palette palette = grays();
  nlohmann::json layers = nlohmann::json::array();
  for (const ScoredLayer& sl : pass.layers()) {
    const std::string stem = "layer" + std::to_string(sl.layer);
    Atlas top_max(sl.units, top, H, W), top_mean(sl.units, top, H, W), gradient(sl.units, top, H, W), guided(sl.units, top, H, W);
    nlohmann::json units = nlohmann::json::array();
    for (int u = 0; u < sl.units; ++u) {
      const probe::lurk::UnitStats& st = sl.stats[static_cast<std::size_t>(u)];
      const auto& best = st.top_max.entries();
      const probe::lurk::TopImageViews views = probe::lurk::top_image_views(bp, sl.layer, u, best, images.images.data());
      nlohmann::json jmax = nlohmann::json::array(), jmean = nlohmann::json::array();
      for (std::size_t i = 0; i < best.size(); ++i) {
        const TopEntry& e = best[i];
        const probe::lurk::Box& b = views.boxes[i];
        nlohmann::json j = entry_json(e, images);
        j["y"] = e.y;
        j["x"] = e.x;
        j["box"] = {b.y0, b.x0, b.y1, b.x1};
        jmax.push_back(j);
        top_max.put(u, static_cast<int>(i), images.images.data() + static_cast<std::size_t>(e.image) * n_in, false);
        gradient.put(u, static_cast<int>(i), views.vanilla.data() + i * n_in, true);
        guided.put(u, static_cast<int>(i), views.guided.data() + i * n_in, true);
      }
      for (std::size_t i = 0; i < st.top_mean.entries().size(); ++i) {
        const TopEntry& e = st.top_mean.entries()[i];
        jmean.push_back(entry_json(e, images));
        top_mean.put(u, static_cast<int>(i), images.images.data() + static_cast<std::size_t>(e.image) * n_in, false);
      }
      std::vector<double> hmax, hmean;
      for (int c = 0; c < pass.classes(); ++c) {
        hmax.push_back(DatasetPass::class_value(st.class_max_sum, pass.class_counts(), c));
        hmean.push_back(DatasetPass::class_value(st.class_mean_sum, pass.class_counts(), c));
      }
      const double n = std::max(1, pass.images_seen());
      units.push_back({{"unit", u}, {"mean", st.mean_sum / n}, {"dead_fraction", static_cast<double>(st.dead) / n},
                       {"class_max", hmax}, {"class_mean", hmean}, {"top_max", jmax}, {"top_mean", jmean}});
    }
    const nlohmann::json atlases{{"top_max", stem + "_top_max.png"}, {"top_mean", stem + "_top_mean.png"},
                                 {"gradient", stem + "_gradient.png"}, {"guided", stem + "_guided.png"}};
    exports::write_png(dir / (stem + "_top_max.png"), top_max.image, palette);
    exports::write_png(dir / (stem + "_top_mean.png"), top_mean.image, palette);
    exports::write_png(dir / (stem + "_gradient.png"), gradient.image, palette);
    exports::write_png(dir / (stem + "_guided.png"), guided.image, palette);
    const probe::lurk::FieldSize field = probe::lurk::receptive_field_size(bp.network(), sl.layer);
    layers.push_back({{"layer", sl.layer}, {"scored_layer", sl.scored}, {"name", sl.name}, {"kind", sl.conv ? "conv" : "dense"},
                      {"units", sl.units}, {"height", sl.height}, {"width", sl.width},
                      {"field", {{"size", field.size}, {"jump", field.jump}, {"whole", field.whole}}},
                      {"tile", {H, W}}, {"atlases", atlases}, {"unit_stats", units}});
  }
  nlohmann::json manifest{{"format", "netlens-lurk"}, {"version", kLurkCacheVersion}, {"key", key.json()},
                          {"classes", class_names}, {"class_counts", pass.class_counts()}, {"seconds", seconds},
                          {"layers", layers}};
  write_file_atomically(dir / "manifest.json", manifest.dump());
  std::error_code ec;
  fs::remove(dir / "partial.json", ec);
  return manifest;
}

}  // namespace netlens::exports
