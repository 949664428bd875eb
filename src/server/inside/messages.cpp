#include "server/inside/messages.hpp"

#include <cmath>

#include "core/error.hpp"
#include "data/synthetic2d.hpp"
#include "server/common/wire.hpp"

namespace netlens::server::inside {

using nlohmann::json;

namespace {

json floats(const std::vector<float>& v) { return json(v); }

}  // namespace

json hello_message() {
  json datasets = json::array({"xor4"});
  for (const auto& s : data::synthetic2d_sets())
    if (s.problem == data::Problem::Classification && s.classes == 2) datasets.push_back(s.name);
  json activations = json::array();
  for (auto a : nn::activation_names()) activations.push_back(a);
  json hello = hello_header("inside", kProtocolVersion);
  hello["datasets"] = datasets;
  hello["activations"] = activations;
  hello["losses"] = {"squared_error", "binary_cross_entropy"};
  hello["defaults"] = to_json(train::TracedRunSpec{});
  return hello;
}

json to_json(const train::TracedRunSpec& s) {
  return {{"dataset", s.dataset},         {"noise", s.noise},
          {"num_samples", s.num_samples}, {"data_seed", s.data_seed},
          {"hidden", s.hidden},           {"activation", nn::activation_name(s.activation)},
          {"loss", nn::loss_name(s.loss)}, {"learning_rate", s.learning_rate},
          {"seed", s.seed},               {"epochs", s.epochs},
          {"refresh", s.refresh}};
}

json run_message(int run, const train::TracedRun& traced, const probe::Domain& domain) {
  json layers = json::array();
  int in = 2;
  for (int units : traced.spec().hidden) {
    layers.push_back({{"in", in}, {"out", units}});
    in = units;
  }
  layers.push_back({{"in", in}, {"out", 1}});
  json points = json::array();
  for (const auto& p : traced.session().train_set().points) points.push_back({p.x1, p.x2, p.label});
  return {{"type", "run"},
          {"run", run},
          {"spec", to_json(traced.spec())},
          {"layers", layers},
          {"domain", domain_json(domain)},
          {"points", points}};
}

json frame_message(const Frame& f, const train::TracedRun& run, const View& view) {
  const auto& r = *f.record;
  auto finite = [](double v) { return std::isfinite(v) ? json(v) : json(nullptr); };
  json layers = json::array();
  for (const auto& l : f.nodes.layers)
    layers.push_back({{"pre", floats(l.pre)}, {"activation", floats(l.activation)}, {"bias", floats(l.bias)}});
  json hidden{{"layer", f.hidden_layer}};
  if (f.hidden) {
    const auto& h = *f.hidden;
    hidden.update({{"units", h.units},
                   {"dims", h.dims},
                   {"projected", h.projected},
                   {"explained", h.explained},
                   {"separator", {{"weights", h.separator.weights}, {"bias", h.separator.bias}, {"accuracy", h.separator.accuracy}}}});
  } else {
    hidden["error"] = f.hidden_error;
  }
  return {{"type", "frame"},
          {"seq", f.seq},
          {"epoch", r.epoch},
          {"epochs", run.spec().epochs},
          {"running", f.running},
          {"finished", run.finished()},
          {"stopped", f.stopped},
          {"loss", finite(r.loss)},
          {"accuracy", r.accuracy},
          {"gradient_norms", r.gradient_norms},
          {"params", floats(f.params)},
          {"nodes", {{"x1", f.probe_x1}, {"x2", f.probe_x2}, {"inputs", floats(f.nodes.inputs)}, {"layers", layers}}},
          {"hidden", hidden},
          {"surface",
           {{"directions", view.weight_axes ? "weights" : "random"},
            {"first", view.first},
            {"second", view.second},
            {"extent", f.surface.extent},
            {"resolution", f.surface.resolution}}}};
}

std::string frame_tensors(const Frame& f) {
  const int g = kBoundaryGrid;
  Tensor boundary({g, g});
  std::copy(f.boundary.begin(), f.boundary.end(), boundary.data());
  const int dims = f.hidden ? f.hidden->dims : 2;
  const int n = f.hidden ? static_cast<int>(f.hidden->points.size()) / dims : 0;
  Tensor points({n, dims});
  if (f.hidden) std::copy(f.hidden->points.begin(), f.hidden->points.end(), points.data());
  const int lines = f.hidden ? static_cast<int>(f.hidden->grid.size()) : 0;
  const int samples = lines ? static_cast<int>(f.hidden->grid[0].size()) / dims : 0;
  Tensor grid({lines, samples, dims});
  for (int l = 0; l < lines; ++l)
    std::copy(f.hidden->grid[l].begin(), f.hidden->grid[l].end(), grid.data() + static_cast<std::ptrdiff_t>(l) * samples * dims);
  const int r = f.surface.resolution;
  Tensor surface({r, r});
  std::copy(f.surface.losses.begin(), f.surface.losses.end(), surface.data());
  Tensor trajectory({static_cast<int>(f.trajectory.size()), 5});
  float* t = trajectory.data();
  for (const auto& p : f.trajectory)
    for (double v : {double(p.epoch), p.alpha, p.beta, p.loss, p.surface_loss}) *t++ = static_cast<float>(v);
  return encode_tensors("NLIN", f.seq, {&boundary, &points, &grid, &surface, &trajectory});
}

}  // namespace netlens::server::inside
