#include "server/inside_protocol.hpp"

#include <cmath>

#include "core/error.hpp"
#include "data/synthetic2d.hpp"
#include "server/digits_protocol.hpp"

namespace netlens::server {

using nlohmann::json;

namespace {

const char* kTypes = "set_spec, set_view, play, pause, step, reset, stop, probe";

std::string type_name(const json& v) {
  if (v.is_number_integer() || v.is_number_unsigned()) return "an integer";
  if (v.is_number()) return "a number";
  return std::string("a ") + v.type_name();
}

double number(const json& v, const std::string& path, double lo, double hi) {
  if (!v.is_number()) throw Error(path, "must be a number, got " + type_name(v));
  const double x = v.get<double>();
  if (!(x >= lo && x <= hi)) {
    char range[96];
    std::snprintf(range, sizeof range, "must be %g..%g, got %s", lo, hi, v.dump().c_str());
    throw Error(path, range);
  }
  return x;
}

long long integer(const json& v, const std::string& path, double lo, double hi) {
  if (!v.is_number() || (v.is_number_float() && std::floor(v.get<double>()) != v.get<double>()))
    throw Error(path, "must be an integer, got " + (v.is_number() ? v.dump() : type_name(v)));
  return static_cast<long long>(number(v, path, lo, hi));
}

std::string text(const json& v, const std::string& path) {
  if (!v.is_string()) throw Error(path, "must be a string, got " + type_name(v));
  return v.get<std::string>();
}

const json& field(const json& j, const char* key, const std::string& type) {
  if (!j.contains(key)) throw Error(type + "." + key, "is missing");
  return j[key];
}

train::TracedRunSpec read_spec(const json& j, train::TracedRunSpec s) {
  const std::string at = "set_spec.spec.";
  if (!j.is_object()) throw Error("set_spec.spec", "must be an object, got " + type_name(j));
  for (const auto& [key, v] : j.items()) {
    const std::string path = at + key;
    if (key == "dataset") {
      s.dataset = text(v, path);
    } else if (key == "noise") {
      s.noise = number(v, path, 0, 50);
    } else if (key == "num_samples") {
      s.num_samples = static_cast<int>(integer(v, path, train::TracedRunLimits::kMinSamples, train::TracedRunLimits::kMaxSamples));
    } else if (key == "data_seed" || key == "seed") {
      (key == "seed" ? s.seed : s.data_seed) = static_cast<std::uint64_t>(integer(v, path, 0, 4294967295.0));
    } else if (key == "hidden") {
      if (!v.is_array()) throw Error(path, "must be an array of units per hidden layer, like [3], got " + type_name(v));
      if (v.empty() || v.size() > train::TracedRunLimits::kMaxHiddenLayers)
        throw Error(path, "must list 1.." + std::to_string(train::TracedRunLimits::kMaxHiddenLayers) + " hidden layers");
      s.hidden.clear();
      for (std::size_t i = 0; i < v.size(); ++i)
        s.hidden.push_back(static_cast<int>(integer(v[i], path + "[" + std::to_string(i) + "]", 1, train::TracedRunLimits::kMaxUnits)));
    } else if (key == "activation") {
      s.activation = nn::parse_activation(text(v, path), path);
    } else if (key == "loss") {
      s.loss = nn::parse_loss(text(v, path), path);
    } else if (key == "learning_rate") {
      s.learning_rate = number(v, path, 1e-6, train::TracedRunLimits::kMaxLearningRate);
    } else if (key == "epochs") {
      s.epochs = static_cast<int>(integer(v, path, 1, train::TracedRunLimits::kMaxEpochs));
    } else if (key == "refresh") {
      s.refresh = static_cast<int>(integer(v, path, 1, train::TracedRunLimits::kMaxEpochs));
    } else {
      throw Error(path, "unknown key (known: dataset, noise, num_samples, data_seed, hidden, activation, loss, "
                        "learning_rate, seed, epochs, refresh)");
    }
  }
  try {
    train::validate(s);
  } catch (const Error& e) {
    throw Error(at + e.what());  // "set_spec.spec.refresh: must be ..."
  }
  return s;
}

InsideView read_view(const json& j, InsideView v) {
  for (const auto& [key, value] : j.items()) {
    const std::string path = "set_view." + key;
    if (key == "layer") v.layer = static_cast<int>(integer(value, path, -1, train::TracedRunLimits::kMaxHiddenLayers - 1));
    else if (key == "dims") v.dims = static_cast<int>(integer(value, path, 2, 3));
    else if (key == "directions") {
      const std::string d = text(value, path);
      if (d != "random" && d != "weights") throw Error(path, "must be random or weights, got '" + d + "'");
      v.weight_axes = d == "weights";
    } else if (key == "first" || key == "second") {
      (key == "first" ? v.first : v.second) = static_cast<int>(integer(value, path, 0, 1e6));
    } else if (key == "extent") v.extent = number(value, path, 0.01, 100);
    else if (key == "seed") v.direction_seed = static_cast<std::uint64_t>(integer(value, path, 0, 4294967295.0));
  }
  return v;
}

json floats(const std::vector<float>& v) { return json(v); }

}  // namespace

InsideCommand parse_inside_command(std::string_view message, const train::TracedRunSpec& spec, const InsideView& view) {
  json j;
  try {
    j = json::parse(message);
  } catch (const json::exception& e) {  // a syntax error, or a number too large (1e999)
    throw Error("message", std::string("not JSON: ") + e.what());
  }
  if (!j.is_object()) throw Error("message", std::string("must be a JSON object, got ") + j.type_name());
  if (!j.contains("type")) throw Error("type", "missing; every message needs a string \"type\"");
  const std::string type = text(j["type"], "type");
  InsideCommand c{};
  c.spec = spec;
  c.view = view;
  if (type == "set_spec") {
    c.type = InsideCommandType::SetSpec;
    c.spec = read_spec(field(j, "spec", type), spec);
  } else if (type == "set_view") {
    c.type = InsideCommandType::SetView;
    c.view = read_view(j, view);
  } else if (type == "probe") {
    c.type = InsideCommandType::Probe;
    const double lo = -100, hi = 100;
    c.x1 = static_cast<float>(number(field(j, "x1", type), "probe.x1", lo, hi));
    c.x2 = static_cast<float>(number(field(j, "x2", type), "probe.x2", lo, hi));
  } else if (type == "play") {
    c.type = InsideCommandType::Play;
  } else if (type == "pause") {
    c.type = InsideCommandType::Pause;
  } else if (type == "step") {
    c.type = InsideCommandType::Step;
  } else if (type == "reset") {
    c.type = InsideCommandType::Reset;
  } else if (type == "stop") {
    c.type = InsideCommandType::Stop;
  } else {
    throw Error("type", "unknown type '" + type + "' (known: " + kTypes + ")");
  }
  return c;
}

json inside_hello() {
  json datasets = json::array({"xor4"});
  for (const auto& s : data::synthetic2d_sets())
    if (s.problem == data::Problem::Classification && s.classes == 2) datasets.push_back(s.name);
  json activations = json::array();
  for (auto a : nn::activation_names()) activations.push_back(a);
  return {{"type", "hello"},
          {"protocol", kInsideProtocolVersion},
          {"version", NETLENS_VERSION},
          {"datasets", datasets},
          {"activations", activations},
          {"losses", {"squared_error", "binary_cross_entropy"}},
          {"defaults", to_json(train::TracedRunSpec{})}};
}

json to_json(const train::TracedRunSpec& s) {
  return {{"dataset", s.dataset},         {"noise", s.noise},
          {"num_samples", s.num_samples}, {"data_seed", s.data_seed},
          {"hidden", s.hidden},           {"activation", nn::activation_name(s.activation)},
          {"loss", nn::loss_name(s.loss)}, {"learning_rate", s.learning_rate},
          {"seed", s.seed},               {"epochs", s.epochs},
          {"refresh", s.refresh}};
}

json inside_run_message(int run, const train::TracedRun& traced, const probe::Domain& domain) {
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
          {"domain", {{"x_min", domain.x_min}, {"x_max", domain.x_max}, {"y_min", domain.y_min}, {"y_max", domain.y_max}}},
          {"points", points}};
}

json inside_frame_message(const InsideFrame& f, const train::TracedRun& run, const InsideView& view) {
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

std::string inside_frame_tensors(const InsideFrame& f) {
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

}  // namespace netlens::server
