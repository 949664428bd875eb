#include "nn/onnx/elementwise.hpp"

#include <array>
#include <cmath>

#include "core/error.hpp"

namespace netlens::nn::onnx_model {

namespace {

constexpr std::array<std::string_view, 17> kOps{"Relu", "LeakyRelu", "Elu", "Tanh",     "Sigmoid", "Softplus",
                                                "Sin",  "Erf",       "Exp", "Neg",      "Identity", "Dropout",
                                                "Add",  "Sub",       "Mul", "Div",      "Pow"};

// Points where functions are compared: -8 to 8 in steps of 1/16 (where every activation here
// differs from the others by far more than the tolerance).
std::vector<double> probe_points() {
  std::vector<double> x;
  for (int i = -128; i <= 128; ++i) x.push_back(i / 16.0);
  return x;
}

// The run and a reference agree when they differ by at most this (relative beyond 1), well
// under the 4.7e-4 between exact and tanh GELU and above float32 rounding in netlens's kernels.
bool close(double a, double b) { return std::abs(a - b) <= 2e-5 * std::max(1.0, std::abs(b)); }

}  // namespace

bool is_elementwise(std::string_view op) {
  for (auto o : kOps)
    if (o == op) return true;
  return false;
}

double evaluate(const std::vector<Step>& steps, int from, int to, double x) {
  std::vector<double> v(steps.size() + 1, 0.0);
  v[static_cast<std::size_t>(from)] = x;
  for (int k = from; k < to; ++k) {
    const Step& s = steps[static_cast<std::size_t>(k)];
    const auto arg = [&](std::size_t i) {
      const Operand& o = s.args[i];
      return o.slot >= 0 ? v[static_cast<std::size_t>(o.slot)] : o.constant;
    };
    const double a = arg(0);
    const double b = s.args.size() > 1 ? arg(1) : 0.0;
    double y = a;
    if (s.op == "Relu") y = a > 0 ? a : 0;
    else if (s.op == "LeakyRelu") y = a > 0 ? a : s.alpha * a;
    else if (s.op == "Elu") y = a > 0 ? a : s.alpha * (std::exp(a) - 1);
    else if (s.op == "Tanh") y = std::tanh(a);
    else if (s.op == "Sigmoid") y = 1 / (1 + std::exp(-a));
    else if (s.op == "Softplus") y = std::log1p(std::exp(a));
    else if (s.op == "Sin") y = std::sin(a);
    else if (s.op == "Erf") y = std::erf(a);
    else if (s.op == "Exp") y = std::exp(a);
    else if (s.op == "Neg") y = -a;
    else if (s.op == "Add") y = a + b;
    else if (s.op == "Sub") y = a - b;
    else if (s.op == "Mul") y = a * b;
    else if (s.op == "Div") y = a / b;
    else if (s.op == "Pow") y = std::pow(a, b);
    // Identity, Dropout: y = a
    v[static_cast<std::size_t>(k + 1)] = y;
  }
  return v[static_cast<std::size_t>(to)];
}

std::optional<Activation> match_activation(const std::vector<Step>& steps, int from, int to) {
  const std::vector<double> x = probe_points();
  std::vector<double> y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) y[i] = evaluate(steps, from, to, x[i]);
  std::vector<float> xf(x.begin(), x.end()), ref(x.size());
  for (auto name : activation_names()) {
    const Activation a = parse_activation(name, "activation");
    activation_forward(a, xf.data(), ref.data(), xf.size());
    bool same = true;
    for (std::size_t i = 0; i < x.size() && same; ++i) same = close(y[i], ref[i]);
    if (same) return a;
  }
  return std::nullopt;
}

bool is_erf_gelu(const std::vector<Step>& steps, int from, int to) {
  for (double x : probe_points())
    if (!close(evaluate(steps, from, to, x), 0.5 * x * (1 + std::erf(x / std::sqrt(2.0))))) return false;
  return true;
}

}  // namespace netlens::nn::onnx_model
