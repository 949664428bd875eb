#include "nn/optimizer.hpp"

#include <cmath>

#include "core/names.hpp"

namespace netlens::nn {

namespace {
constexpr NameTable<OptimizerKind, 3> kOptimizers{{
    {OptimizerKind::SGD, "sgd"}, {OptimizerKind::Momentum, "momentum"}, {OptimizerKind::Adam, "adam"}}};
constexpr NameTable<Regularization, 3> kRegularizations{{
    {Regularization::None, "none"}, {Regularization::L1, "l1"}, {Regularization::L2, "l2"}}};
}  // namespace

std::string_view optimizer_name(OptimizerKind k) { return name_of(kOptimizers, k); }
OptimizerKind parse_optimizer(std::string_view name, const std::string& where) {
  return parse_name(kOptimizers, name, where, "optimizer");
}
std::string_view regularization_name(Regularization r) { return name_of(kRegularizations, r); }
Regularization parse_regularization(std::string_view name, const std::string& where) {
  return parse_name(kRegularizations, name, where, "regularization");
}

Optimizer::Optimizer(const OptimizerConfig& config, std::vector<Param> params)
    : config_(config), params_(std::move(params)) {
  for (const auto& p : params_) {
    m_.emplace_back(config_.kind == OptimizerKind::SGD ? 0 : p.value->size(), 0.0f);
    v_.emplace_back(config_.kind == OptimizerKind::Adam ? p.value->size() : 0, 0.0f);
  }
}

void Optimizer::reset() {
  for (auto& m : m_) std::fill(m.begin(), m.end(), 0.0f);
  for (auto& v : v_) std::fill(v.begin(), v.end(), 0.0f);
  t_ = 0;
}

void Optimizer::step() {
  ++t_;
  const float lr = config_.learning_rate, mu = config_.momentum;
  const float b1 = config_.beta1, b2 = config_.beta2;
  // Adam's bias corrections folded into the step size and epsilon.
  const float c1 = 1.0f - static_cast<float>(std::pow(b1, t_));
  const float c2 = 1.0f - static_cast<float>(std::pow(b2, t_));
  const float adam_lr = lr * std::sqrt(c2) / c1;
  const float adam_eps = config_.epsilon * std::sqrt(c2);

  for (std::size_t p = 0; p < params_.size(); ++p) {
    float* __restrict w = params_[p].value->data();
    const float* __restrict dw = params_[p].grad->data();
    float* __restrict m = m_[p].data();
    float* __restrict v = v_[p].data();
    const std::size_t n = params_[p].value->size();
    // The gradient with the regularization term: one branch-free expression per kind.
    const Regularization reg = params_[p].regularize ? config_.regularization : Regularization::None;
    const float l1 = reg == Regularization::L1 ? config_.regularization_rate : 0.0f;
    const float l2 = reg == Regularization::L2 ? config_.regularization_rate : 0.0f;
    auto grad = [&](std::size_t i) {
      return dw[i] + l1 * static_cast<float>((w[i] > 0.0f) - (w[i] < 0.0f)) + l2 * w[i];
    };
    switch (config_.kind) {
      case OptimizerKind::SGD:
        for (std::size_t i = 0; i < n; ++i) w[i] -= lr * grad(i);
        break;
      case OptimizerKind::Momentum:
        for (std::size_t i = 0; i < n; ++i) {
          m[i] = mu * m[i] + grad(i);
          w[i] -= lr * m[i];
        }
        break;
      case OptimizerKind::Adam:
        for (std::size_t i = 0; i < n; ++i) {
          const float g = grad(i);
          m[i] = b1 * m[i] + (1.0f - b1) * g;
          v[i] = b2 * v[i] + (1.0f - b2) * g * g;
          w[i] -= adam_lr * m[i] / (std::sqrt(v[i]) + adam_eps);
        }
        break;
    }
  }
}

}  // namespace netlens::nn
