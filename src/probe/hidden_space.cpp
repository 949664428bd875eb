#include "probe/hidden_space.hpp"

#include <cmath>

#include "core/error.hpp"
#include "data/features.hpp"
#include "probe/node_values.hpp"
#include "probe/pca.hpp"

namespace netlens::probe {

namespace {

WeightLayerActs hidden_layer_acts(const nn::Network& network, int layer) {
  const auto layers = weight_layer_acts(network);
  const int hidden = static_cast<int>(layers.size()) - 1;  // the last weight layer is the output
  if (layer < 0 || layer >= hidden)
    throw Error("layer", "must be a hidden layer, 0.." + std::to_string(hidden - 1) + ", got " + std::to_string(layer));
  return layers[static_cast<std::size_t>(layer)];
}

}  // namespace

std::vector<double> hidden_activations(const train::Session& session, int layer, const std::vector<float>& xy) {
  const nn::Network& network = session.network();
  const auto acts = hidden_layer_acts(network, layer);
  const auto& features = session.spec().features;
  const int n = static_cast<int>(xy.size() / 2), f = static_cast<int>(features.size());
  auto ws = network.make_workspace(n);
  for (int i = 0; i < n; ++i) data::compute_features(features, xy[2 * i], xy[2 * i + 1], ws.input().data() + i * f);
  network.forward(ws, n);
  const auto& a = ws.acts[static_cast<std::size_t>(acts.post)];
  const std::size_t size = static_cast<std::size_t>(n) * static_cast<std::size_t>(a.dim(1));
  return {a.data(), a.data() + size};
}

HiddenSpace hidden_space(const train::Session& session, const HiddenSpaceOptions& o) {
  const auto acts = hidden_layer_acts(session.network(), o.layer);
  HiddenSpace h;
  h.units = session.network().make_workspace(1).acts[static_cast<std::size_t>(acts.post)].dim(1);
  if (h.units < 2) throw Error("layer", "hidden layer " + std::to_string(o.layer) + " has 1 unit; its space needs 2 or more");
  if (h.units > 3 && o.dims != 2 && o.dims != 3) throw Error("dims", "must be 2 or 3, got " + std::to_string(o.dims));

  const auto& set = session.train_set();
  std::vector<float> xy;
  for (const auto& p : set.points) {
    xy.push_back(p.x1);
    xy.push_back(p.x2);
    h.labels.push_back(p.label > 0 ? 1.0f : -1.0f);
  }
  // Lines of constant x1, then of constant x2, each sampled from one edge of the domain to the other.
  const auto& d = o.domain;
  const int g = o.grid_lines, s = o.line_samples;
  std::vector<float> line_xy;
  for (int axis = 0; axis < 2; ++axis)
    for (int l = 0; l < g; ++l)
      for (int k = 0; k < s; ++k) {
        const double u = double(l) / (g - 1), v = double(k) / (s - 1);
        const double x1 = axis == 0 ? d.x_min + u * (d.x_max - d.x_min) : d.x_min + v * (d.x_max - d.x_min);
        const double x2 = axis == 0 ? d.y_min + v * (d.y_max - d.y_min) : d.y_min + u * (d.y_max - d.y_min);
        line_xy.push_back(static_cast<float>(x1));
        line_xy.push_back(static_cast<float>(x2));
      }

  auto points = hidden_activations(session, o.layer, xy);
  auto lines = hidden_activations(session, o.layer, line_xy);
  if (h.units <= 3) {
    h.dims = h.units;
  } else {
    h.dims = o.dims;
    h.projected = true;
    const Pca pca = fit_pca(points, h.units, h.dims);
    double total = 0;  // the trace of the covariance: the sum of the variances of all units
    for (int j = 0; j < h.units; ++j) {
      double v = 0;
      for (int i = 0; i < set.size(); ++i) v += std::pow(points[i * h.units + j] - pca.mean[j], 2);
      total += v / (set.size() - 1);
    }
    for (double v : pca.variances) h.explained.push_back(total > 0 ? v / total : 0.0);
    auto project_all = [&](const std::vector<double>& x) {
      std::vector<double> c;
      for (std::size_t i = 0; i < x.size(); i += static_cast<std::size_t>(h.units)) {
        const auto p = pca.project(x.data() + i);
        c.insert(c.end(), p.begin(), p.end());
      }
      return c;
    };
    points = project_all(points);
    lines = project_all(lines);
  }
  h.separator = fit_logistic_regression(points, h.labels, h.dims);
  h.points = std::move(points);
  const std::size_t per_line = static_cast<std::size_t>(s * h.dims);
  for (std::size_t at = 0; at < lines.size(); at += per_line)
    h.grid.emplace_back(lines.begin() + static_cast<std::ptrdiff_t>(at), lines.begin() + static_cast<std::ptrdiff_t>(at + per_line));
  return h;
}

}  // namespace netlens::probe
