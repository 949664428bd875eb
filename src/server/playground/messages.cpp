#include "server/playground/messages.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>

#include "core/error.hpp"
#include "core/json.hpp"
#include "core/names.hpp"
#include "nn/layers/dense.hpp"
#include "probe/unit_maps.hpp"
#include "server/common/wire.hpp"
#include "train/playground_export.hpp"
#include "train/run_folder.hpp"


namespace netlens::server::playground {

using nlohmann::json;

namespace {

json rescale_json(const data::CsvRescale& r) {
  return {{"x1", {r.x1_min, r.x1_max}}, {"x2", {r.x2_min, r.x2_max}}, {"scale", r.scale}};
}

void put_u32(std::string& out, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

void append_float(std::string& out, float v) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, ec == std::errc() ? end : buf);
}

void append_points(std::string& out, const std::vector<data::Point2D>& points) {
  out += '[';
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (i) out += ',';
    out += '[';
    append_float(out, points[i].x1);
    out += ',';
    append_float(out, points[i].x2);
    out += ',';
    append_float(out, points[i].label);
    out += ']';
  }
  out += ']';
}

}  // namespace

std::string hello_message() {
  // A preview of each data set: 200 points at noise 0, coordinates rounded to 0.01.
  json sets = json::array();
  for (const auto& set : data::synthetic2d_sets()) {
    Rng rng(1);
    json preview = json::array();
    for (const auto& p : set.generate(200, 0.0, rng))
      preview.push_back({std::round(p.x1 * 100) / 100, std::round(p.x2 * 100) / 100, std::round(p.label * 100) / 100});
    sets.push_back({{"name", set.name},
                    {"problem", set.problem == data::Problem::Regression ? "regression" : "classification"},
                    {"classes", set.classes},
                    {"preview", std::move(preview)}});
  }
  // Every feature with its map over the thumbnails' grid, so the page can show unused ones too.
  json features = json::array(), feature_maps = json::object();
  for (auto f : data::all_features()) {
    features.push_back(data::feature_name(f));
    feature_maps[std::string(data::feature_name(f))] = probe::feature_map(f, kUnitGrid);
  }
  const json choices{{"activation", nn::activation_names()},
                     {"loss", nn::loss_names()},
                     {"optimizer", nn::optimizer_names()},
                     {"regularization", nn::regularization_names()},
                     {"init", nn::weight_init_names()}};
  json hello = hello_header("playground", kProtocolVersion);
  hello["datasets"] = std::move(sets);
  hello["features"] = std::move(features);
  hello["max_message_bytes"] = kMaxMessageBytes;  // so the page can refuse a file too large to send, in words
  hello["feature_maps"] = std::move(feature_maps);
  hello["unit_grid"] = kUnitGrid;
  hello["choices"] = choices;
  return hello.dump();
}

std::string spec_message(const train::Session& session, const probe::Domain& domain, int grid, int unit_grid,
                         std::uint32_t run, const Upload& upload) {
  json layers = json::array();
  for (std::size_t i = 0; i < session.network().size(); ++i)
    if (const auto* d = dynamic_cast<const nn::Dense*>(&session.network().layer(i)))
      layers.push_back({{"in", d->in()}, {"out", d->out()}});
  const auto& custom = session.custom_points();
  return json{{"type", "spec"},
              {"run", run},
              {"spec", train::to_json(session.spec())},
              {"layers", std::move(layers)},
              {"classes", session.spec().problem == data::Problem::Regression ? 0 : std::max(2, train::num_classes(session.spec()))},
              {"domain", domain_json(domain)},
              {"grid", grid},
              {"unit_grid", unit_grid},
              {"uploaded", custom.uploaded.empty() ? json(nullptr) : json(upload.name)},
              {"rescaled", custom.uploaded.empty() || !upload.rescaled ? json(nullptr) : rescale_json(*upload.rescaled)},
              {"added_points", custom.added.size()}}
      .dump();
}

std::string runs_message(const std::filesystem::path& runs_dir) {
  json runs = json::array();
  for (const auto& run : train::list_runs(runs_dir)) {
    if (runs.size() == kListedRuns) break;
    if (std::find(run.views.begin(), run.views.end(), "playground") == run.views.end()) continue;  // a run being written, damaged, or not a Playground network: not offered
    runs.push_back({{"name", run.name}, {"epoch", run.last->epoch}, {"saved", run.saved}, {"spec", run.spec}});
  }
  return json{{"type", "runs"}, {"runs", std::move(runs)}}.dump();
}

std::string data_message(const train::Session& session) {
  std::string out = R"({"type":"data","problem":")";
  out += session.spec().problem == data::Problem::Regression ? "regression" : "classification";
  out += R"(","train":)";
  append_points(out, session.train_set().points);
  out += R"(,"test":)";
  append_points(out, session.test_set().points);
  out += '}';
  return out;
}

std::string state_message(std::uint32_t seq, bool running, const train::Metrics& m, const train::Session& session,
                          const RunSettings& settings, const std::string& stopped, const std::string& notice,
                          const std::string& following, const json& dropped) {
  // nlohmann writes NaN and infinity as null, which the protocol asks for.
  json j{{"type", "state"},       {"seq", seq},
         {"epoch", m.epoch},      {"running", running},
         {"train_loss", m.train_loss}, {"test_loss", m.test_loss},
         {"epochs_per_frame", settings.epochs_per_frame},
         {"stop_epoch", settings.stop_epoch},
         {"stop_test_loss", settings.stop_test_loss}};
  if (m.train_accuracy) j["train_accuracy"] = *m.train_accuracy;
  if (m.test_accuracy) j["test_accuracy"] = *m.test_accuracy;
  if (!m.confusion.empty()) j["confusion"] = m.confusion;
  json pruned = json::array();
  for (const auto& layer : session.pruned()) {
    json units = json::array();
    for (std::size_t u = 0; u < layer.size(); ++u)
      if (layer[u]) units.push_back(u);
    pruned.push_back(std::move(units));
  }
  j["pruned"] = std::move(pruned);
  j["dead_links"] = session.dead_links();
  if (!stopped.empty()) j["stopped"] = stopped;
  if (!notice.empty()) j["notice"] = notice;
  if (!following.empty()) j["following"] = following, j["following_dropped"] = dropped;
  return j.dump();
}

std::string export_message(const train::Session& session) {
  return json{{"type", "export"}, {"model", train::export_model(session)}, {"pytorch", train::pytorch_snippet(session)}}
      .dump();
}

std::string timeline_message(std::uint32_t timeline, int train_size, const std::vector<train::Checkpoint>& checkpoints) {
  const auto loss = [](double v) { return std::isfinite(v) ? json(v) : json(nullptr); };
  json list = json::array();
  for (std::size_t i = 0; i < checkpoints.size(); ++i) {
    const auto& c = checkpoints[i];
    list.push_back({{"index", i}, {"epoch", c.epoch}, {"examples", c.examples},
                    {"train_loss", loss(c.train_loss)}, {"test_loss", loss(c.test_loss)}});
  }
  return json{{"type", "timeline"}, {"timeline", timeline}, {"train_size", train_size}, {"checkpoints", std::move(list)}}
      .dump();
}

std::string encode_checkpoint(std::uint32_t timeline, const TimelineRequest& r, int width, int height,
                              const std::vector<std::uint8_t>& rgba, const std::string& frame) {
  constexpr std::size_t kHeader = 24;
  std::string out(kHeader, '\0');
  std::memcpy(out.data(), "NLCP", 4);
  put_u32(out, 4, timeline);
  put_u32(out, 8, static_cast<std::uint32_t>(r.index));
  put_u32(out, 12, std::bit_cast<std::uint32_t>(r.t));
  put_u32(out, 16, static_cast<std::uint32_t>(width));
  put_u32(out, 20, static_cast<std::uint32_t>(height));
  out.append(reinterpret_cast<const char*>(rgba.data()), rgba.size());
  return out + frame;
}

std::string encode_gif(std::uint32_t timeline, int frames, const std::string& gif) {
  std::string out(12, '\0');
  std::memcpy(out.data(), "NLGF", 4);
  put_u32(out, 4, timeline);
  put_u32(out, 8, static_cast<std::uint32_t>(frames));
  return out + gif;
}

std::string encode_frame(std::uint32_t seq, const FrameBody& b) {
  const auto out_n = static_cast<std::size_t>(b.outputs) * static_cast<std::size_t>(b.grid) * b.grid;
  const auto unit_n = static_cast<std::size_t>(b.nodes) * static_cast<std::size_t>(b.unit_grid) * b.unit_grid;
  constexpr std::size_t kHeader = 28;
  std::string out(kHeader + 4 * (out_n + b.params.size()) + unit_n, '\0');
  std::memcpy(out.data(), "NLFR", 4);
  put_u32(out, 4, seq);
  put_u32(out, 8, static_cast<std::uint32_t>(b.grid));
  put_u32(out, 12, static_cast<std::uint32_t>(b.outputs));
  put_u32(out, 16, static_cast<std::uint32_t>(b.unit_grid));
  put_u32(out, 20, static_cast<std::uint32_t>(b.nodes));
  put_u32(out, 24, static_cast<std::uint32_t>(b.params.size()));
  // The machine is little-endian (x86-64, as the protocol's byte order), so floats copy as they are.
  static_assert(std::endian::native == std::endian::little);
  std::memcpy(out.data() + kHeader, b.output, 4 * out_n);
  std::memcpy(out.data() + kHeader + 4 * out_n, b.params.data(), 4 * b.params.size());
  std::memcpy(out.data() + kHeader + 4 * (out_n + b.params.size()), b.units, unit_n);
  return out;
}

}  // namespace netlens::server::playground
