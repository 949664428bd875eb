#include "probe/lurk/sanity.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/rng.hpp"

namespace netlens::probe::lurk {

namespace {

std::vector<double> ranks_abs(const std::vector<float>& v) {
  std::vector<std::size_t> order(v.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return std::abs(v[a]) < std::abs(v[b]); });
  std::vector<double> r(v.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && std::abs(v[order[j + 1]]) == std::abs(v[order[i]])) ++j;
    for (std::size_t k = i; k <= j; ++k) r[order[k]] = (static_cast<double>(i) + static_cast<double>(j)) / 2;  // the mean rank of a tie
    i = j + 1;
  }
  return r;
}

}  // namespace

// rho = cov(rank |a|, rank |b|) / (sd(rank |a|) sd(rank |b|))
double spearman_abs(const std::vector<float>& a, const std::vector<float>& b) {
  const std::vector<double> ra = ranks_abs(a), rb = ranks_abs(b);
  const double n = static_cast<double>(ra.size());
  const double ma = std::accumulate(ra.begin(), ra.end(), 0.0) / n, mb = std::accumulate(rb.begin(), rb.end(), 0.0) / n;
  double cov = 0, va = 0, vb = 0;
  for (std::size_t i = 0; i < ra.size(); ++i) {
    cov += (ra[i] - ma) * (rb[i] - mb);
    va += (ra[i] - ma) * (ra[i] - ma);
    vb += (rb[i] - mb) * (rb[i] - mb);
  }
  return va > 0 && vb > 0 ? cov / std::sqrt(va * vb) : 0.0;
}

std::vector<SanityStep> cascading_randomisation(nn::Network& network, const std::vector<float>& image,
                                                const std::vector<Method>& methods, const AttributionOptions& options,
                                                std::uint64_t seed) {
  std::vector<std::vector<float>> saved;
  for (const auto& p : network.params()) saved.push_back(p.value->values());
  Backprop bp(network, 64);
  AttributionOptions o = options;
  std::vector<std::vector<float>> trained;
  auto maps = [&] {
    std::vector<std::vector<float>> m;
    for (Method method : methods) m.push_back(attribute(bp, image, method, o).map);
    return m;
  };
  {
    std::copy(image.begin(), image.end(), bp.input().data());
    bp.forward(1);
    if (o.target_class < 0) o.target_class = predicted_class(bp);  // the same class at every step
    trained = maps();
  }
  std::vector<SanityStep> steps{{-1, "trained", std::vector<double>(methods.size(), 1.0), trained}};
  Rng rng(seed);
  for (std::size_t l = network.size(); l-- > 0;) {
    auto params = network.layer(l).params();
    if (params.empty()) continue;
    for (const auto& p : params) {  // re-drawn from N(0, the tensor's own root mean square)
      double sq = 0;
      for (float v : p.value->values()) sq += static_cast<double>(v) * v;
      const double sd = std::sqrt(sq / static_cast<double>(p.value->size()));
      for (float& v : p.value->values()) v = static_cast<float>(rng.normal(0.0, sd));
    }
    const auto now = maps();
    SanityStep s{static_cast<int>(l), network.layer(l).name(), {}, now};
    for (std::size_t m = 0; m < methods.size(); ++m) s.correlation.push_back(spearman_abs(trained[m], now[m]));
    steps.push_back(std::move(s));
  }
  std::size_t i = 0;
  for (const auto& p : network.params()) p.value->values() = saved[i++];
  return steps;
}

}  // namespace netlens::probe::lurk
