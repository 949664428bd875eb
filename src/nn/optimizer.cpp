#include "nn/optimizer.hpp"

#include <algorithm>
#include <cmath>

#include "core/names.hpp"
#include "core/parallel.hpp"

namespace netlens::nn {

namespace {
constexpr std::size_t kMinPerThread = 16384;  // parameters per thread before updates are shared

constexpr NameTable<OptimizerKind, 3> kOptimizers{{
    {OptimizerKind::SGD, "sgd"}, {OptimizerKind::Momentum, "momentum"}, {OptimizerKind::Adam, "adam"}}};
constexpr NameTable<Regularization, 3> kRegularizations{{
    {Regularization::None, "none"}, {Regularization::L1, "l1"}, {Regularization::L2, "l2"}}};
}  // namespace

std::vector<std::string_view> optimizer_names() { return names_of(kOptimizers); }
std::string_view optimizer_name(OptimizerKind k) { return name_of(kOptimizers, k); }
OptimizerKind parse_optimizer(std::string_view name, const std::string& where) {
  return parse_name(kOptimizers, name, where, "optimizer");
}
std::vector<std::string_view> regularization_names() { return names_of(kRegularizations); }
std::string_view regularization_name(Regularization r) { return name_of(kRegularizations, r); }
Regularization parse_regularization(std::string_view name, const std::string& where) {
  return parse_name(kRegularizations, name, where, "regularization");
}

Optimizer::Optimizer(const OptimizerConfig& config, std::vector<Param> params)
    : config_(config), params_(std::move(params)), m_(params_.size()), v_(params_.size()), dead_(params_.size()) {
  size_state(true);
}

void Optimizer::size_state(bool fresh_moments) {
  for (std::size_t p = 0; p < params_.size(); ++p) {
    const std::size_t n = params_[p].value->size();
    if (fresh_moments) {
      m_[p].assign(config_.kind == OptimizerKind::SGD ? 0 : n, 0.0f);
      v_[p].assign(config_.kind == OptimizerKind::Adam ? n : 0, 0.0f);
    }
    const bool l1 = params_[p].regularize && config_.regularization == Regularization::L1;
    if (!l1) dead_[p].clear();
    else if (dead_[p].size() != n) dead_[p].assign(n, 0);
  }
}

void Optimizer::configure(const OptimizerConfig& config) {
  const bool new_kind = config.kind != config_.kind;
  config_ = config;
  if (new_kind) t_ = 0;
  size_state(new_kind);
}

void Optimizer::reset() {
  for (auto& m : m_) std::fill(m.begin(), m.end(), 0.0f);
  for (auto& v : v_) std::fill(v.begin(), v.end(), 0.0f);
  for (auto& d : dead_) std::fill(d.begin(), d.end(), 0);
  t_ = 0;
}

long Optimizer::dead_links() const {
  long n = 0;
  for (const auto& d : dead_) n += std::count(d.begin(), d.end(), 1);
  return n;
}

namespace {

// The per-element rules over [begin, end), on raw pointers so each loop vectorises.
struct Update {
  float* __restrict w;
  const float* __restrict dw;
  float* __restrict m;
  float* __restrict v;
  unsigned char* __restrict dead;  // L1 only: 1 for a link set to 0 for good
  float l1_step, l2;  // lr * the L1 rate, and the L2 rate; zero for the kind not chosen and for biases

  float grad(std::size_t i) const { return dw[i] + l2 * w[i]; }
  // TensorFlow Playground's L1 step after the optimizer's, from w0, the weight before it: a
  // weight the step would carry across zero becomes 0 and dead; a dead weight stays 0.
  void l1(std::size_t i, float w0) const {
    const float moved = w[i] - l1_step * static_cast<float>((w0 > 0.0f) - (w0 < 0.0f));
    const bool crossed = dead[i] || w[i] * moved < 0.0f;
    dead[i] = crossed;
    w[i] = crossed ? 0.0f : moved;
  }
  void sgd(std::size_t begin, std::size_t end, float lr) const {
    for (std::size_t i = begin; i < end; ++i) {
      const float w0 = w[i];
      w[i] -= lr * grad(i);
      if (dead) l1(i, w0);
    }
  }
  void momentum(std::size_t begin, std::size_t end, float lr, float mu) const {
    for (std::size_t i = begin; i < end; ++i) {
      const float w0 = w[i];
      m[i] = mu * m[i] + grad(i);
      w[i] -= lr * m[i];
      if (dead) l1(i, w0);
    }
  }
  void adam(std::size_t begin, std::size_t end, float lr, float b1, float b2, float eps) const {
    for (std::size_t i = begin; i < end; ++i) {
      const float w0 = w[i];
      const float g = grad(i);
      m[i] = b1 * m[i] + (1.0f - b1) * g;
      v[i] = b2 * v[i] + (1.0f - b2) * g * g;
      w[i] -= lr * m[i] / (std::sqrt(v[i]) + eps);
      if (dead) l1(i, w0);
    }
  }
};

}  // namespace

void Optimizer::step() {
  ++t_;
  const OptimizerConfig& c = config_;
  // Adam's bias corrections folded into the step size and epsilon.
  const float c1 = 1.0f - static_cast<float>(std::pow(c.beta1, t_));
  const float c2 = 1.0f - static_cast<float>(std::pow(c.beta2, t_));
  const float adam_lr = c.learning_rate * std::sqrt(c2) / c1;
  const float adam_eps = c.epsilon * std::sqrt(c2);

  for (std::size_t p = 0; p < params_.size(); ++p) {
    const Regularization reg = params_[p].regularize ? c.regularization : Regularization::None;
    const Update u{params_[p].value->data(),
                   params_[p].grad->data(),
                   m_[p].data(),
                   v_[p].data(),
                   dead_[p].empty() ? nullptr : dead_[p].data(),
                   c.learning_rate * c.regularization_rate,
                   reg == Regularization::L2 ? c.regularization_rate : 0.0f};
    parallel::parallel_for(params_[p].value->size(), kMinPerThread, [&](std::size_t begin, std::size_t end) {
      switch (c.kind) {
        case OptimizerKind::SGD: u.sgd(begin, end, c.learning_rate); break;
        case OptimizerKind::Momentum: u.momentum(begin, end, c.learning_rate, c.momentum); break;
        case OptimizerKind::Adam: u.adam(begin, end, adam_lr, c.beta1, c.beta2, adam_eps); break;
      }
    });
  }
}

}  // namespace netlens::nn
