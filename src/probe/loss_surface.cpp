#include "probe/loss_surface.hpp"

#include <cmath>
#include <span>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "nn/layers/dense.hpp"

namespace netlens::probe {

namespace {

// Evaluates the mean loss of the set at chosen weights in one workspace, then puts the
// network's own weights back.
class PlaneEvaluator {
 public:
  PlaneEvaluator(nn::Network& network, const train::Dataset& set, nn::Loss loss, const std::vector<float>& centre,
                 const Directions& directions)
      : network_(network), set_(set), loss_(loss), centre_(centre), directions_(directions),
        saved_(train::flat_params(network)), ws_(network.make_workspace(set.size())), theta_(centre.size()) {
    if (centre.size() != saved_.size() || directions.d1.size() != saved_.size() || directions.d2.size() != saved_.size())
      throw Error("loss surface", "centre and directions must have one entry per parameter");
    std::copy_n(set.inputs.data(), set.inputs.size(), ws_.input().data());
  }
  ~PlaneEvaluator() { train::load_flat_params(network_, saved_); }

  double loss_at(double alpha, double beta) {
    for (std::size_t i = 0; i < theta_.size(); ++i)
      theta_[i] = static_cast<float>(centre_[i] + alpha * directions_.d1[i] + beta * directions_.d2[i]);
    train::load_flat_params(network_, theta_);
    const Tensor& z = network_.forward(ws_, set_.size());
    return nn::loss_sum(loss_, z.data(), set_.targets.data(), set_.size(), set_.targets.dim(1)) / set_.size();
  }

 private:
  nn::Network& network_;
  const train::Dataset& set_;
  nn::Loss loss_;
  const std::vector<float>& centre_;
  const Directions& directions_;
  std::vector<float> saved_;
  nn::Workspace ws_;
  std::vector<float> theta_;
};

double dot(const std::vector<float>& a, const std::vector<double>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += double(a[i]) * b[i];
  return s;
}

}  // namespace

Directions weight_directions(nn::Network& network, int first, int second) {
  const auto n = static_cast<int>(network.param_count());
  for (auto [value, field] : {std::pair{first, "first"}, std::pair{second, "second"}})
    if (value < 0 || value >= n)
      throw Error(field, "must be a parameter index 0.." + std::to_string(n - 1) + ", got " + std::to_string(value));
  if (first == second) throw Error("second", "must differ from first (both are " + std::to_string(first) + ")");
  Directions d{std::vector<float>(static_cast<std::size_t>(n)), std::vector<float>(static_cast<std::size_t>(n))};
  d.d1[static_cast<std::size_t>(first)] = 1;
  d.d2[static_cast<std::size_t>(second)] = 1;
  return d;
}

Directions random_directions(nn::Network& network, const std::vector<float>& centre, std::uint64_t seed) {
  Rng rng(seed);
  Directions d;
  for (auto* direction : {&d.d1, &d.d2}) {
    direction->assign(centre.size(), 0.0f);
    std::size_t at = 0;  // the flat offset of the current Dense layer's weights
    for (std::size_t l = 0; l < network.size(); ++l) {
      const auto* dense = dynamic_cast<const nn::Dense*>(&network.layer(l));
      if (!dense) continue;
      const int in = dense->in(), out = dense->out();
      for (auto& v : std::span(direction->data() + at, static_cast<std::size_t>(in * out))) v = static_cast<float>(rng.normal(0, 1));
      // W is (in, out): filter j, the weights into unit j, is column j.
      for (int j = 0; j < out; ++j) {
        double dn = 0, cn = 0;
        for (int i = 0; i < in; ++i) {
          const std::size_t k = at + static_cast<std::size_t>(i * out + j);
          dn += double((*direction)[k]) * (*direction)[k];
          cn += double(centre[k]) * centre[k];
        }
        const double scale = dn > 0 ? std::sqrt(cn / dn) : 0.0;
        for (int i = 0; i < in; ++i) (*direction)[at + static_cast<std::size_t>(i * out + j)] *= static_cast<float>(scale);
      }
      at += static_cast<std::size_t>(in * out + out);  // the biases' entries stay zero
    }
  }
  return d;
}

LossSurface loss_surface(nn::Network& network, const train::Dataset& set, nn::Loss loss, const std::vector<float>& centre,
                         const Directions& directions, double extent, int resolution) {
  if (resolution < 3 || resolution % 2 == 0) throw Error("resolution", "must be odd and at least 3, got " + std::to_string(resolution));
  if (!(extent > 0)) throw Error("extent", "must be above 0");
  PlaneEvaluator plane(network, set, loss, centre, directions);
  LossSurface s;
  s.extent = extent;
  s.resolution = resolution;
  for (int r = 0; r < resolution; ++r)
    for (int c = 0; c < resolution; ++c) {
      auto coordinate = [&](int i) { return extent * (2.0 * i / (resolution - 1) - 1.0); };
      s.losses.push_back(plane.loss_at(coordinate(c), coordinate(r)));
    }
  return s;
}

std::vector<TrajectoryPoint> project_trajectory(nn::Network& network, const train::Dataset& set, nn::Loss loss,
                                                const std::vector<float>& centre, const Directions& directions,
                                                const std::vector<train::TraceRecord>& trace) {
  PlaneEvaluator plane(network, set, loss, centre, directions);
  // Least squares: [d1.d1 d1.d2; d1.d2 d2.d2] [alpha beta]^T = [d1.delta d2.delta]^T.
  std::vector<double> d2(directions.d2.begin(), directions.d2.end());
  const double a = dot(directions.d1, std::vector<double>(directions.d1.begin(), directions.d1.end()));
  const double b = dot(directions.d1, d2), c = dot(directions.d2, d2);
  const double det = a * c - b * b;
  if (!(det > 0)) throw Error("directions", "the two directions must be independent");
  std::vector<TrajectoryPoint> points;
  std::vector<double> delta(centre.size());
  for (const auto& record : trace) {
    for (std::size_t i = 0; i < delta.size(); ++i) delta[i] = double(record.params[i]) - centre[i];
    const double p = dot(directions.d1, delta), q = dot(directions.d2, delta);
    TrajectoryPoint t;
    t.epoch = record.epoch;
    t.alpha = (c * p - b * q) / det;
    t.beta = (a * q - b * p) / det;
    t.loss = record.loss;
    t.surface_loss = plane.loss_at(t.alpha, t.beta);
    points.push_back(t);
  }
  return points;
}

}  // namespace netlens::probe
