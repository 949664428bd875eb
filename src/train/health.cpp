#include "train/health.hpp"

#include <algorithm>
#include <cmath>

#include "nn/layers/activation.hpp"
#include "nn/layers/dense.hpp"

namespace netlens::train {

namespace {

struct LayerOutputs {
  std::size_t act;          // index in ws.acts of its activated output
  std::string activation;   // its activation's name
  std::vector<bool> alive;  // per unit: some point gave it a value other than 0
};

}  // namespace

std::string stuck_notice(const Session& session) {
  const nn::Network& net = session.network();
  std::vector<LayerOutputs> hidden;
  std::size_t dense_seen = 0, dense_count = 0;
  for (std::size_t i = 0; i < net.size(); ++i) dense_count += dynamic_cast<const nn::Dense*>(&net.layer(i)) != nullptr;
  for (std::size_t i = 0; i < net.size(); ++i) {
    const auto* dense = dynamic_cast<const nn::Dense*>(&net.layer(i));
    if (!dense || ++dense_seen == dense_count) continue;  // the output is not a hidden layer
    const auto* act = i + 1 < net.size() ? dynamic_cast<const nn::ActivationLayer*>(&net.layer(i + 1)) : nullptr;
    hidden.push_back({act ? i + 2 : i + 1, std::string(act ? nn::activation_name(act->activation()) : "linear"),
                      std::vector<bool>(static_cast<std::size_t>(dense->out()), false)});
  }
  const RunSpec& spec = session.spec();
  const bool tanh_output = spec.problem == data::Problem::Classification && spec.loss == nn::Loss::SquaredError;
  constexpr float kSaturated = 0.9999f;  // |tanh(z)| beyond this: |z| > 4.95, gradient < 2e-4
  bool all_high = true, all_low = true;

  const Dataset& set = session.train_set();
  const int n = set.size(), chunk = std::min(n, Trainer::kEvalChunk);
  const std::size_t f = static_cast<std::size_t>(set.inputs.dim(1));
  nn::Workspace ws = net.make_workspace(chunk);
  for (int r0 = 0; r0 < n; r0 += chunk) {
    const int rows = std::min(chunk, n - r0);
    std::copy_n(set.inputs.data() + static_cast<std::size_t>(r0) * f, static_cast<std::size_t>(rows) * f,
                ws.input().data());
    const Tensor& out = net.forward(ws, rows);
    for (auto& layer : hidden) {
      const float* a = ws.acts[layer.act].data();
      const std::size_t units = layer.alive.size();
      for (std::size_t k = 0; k < static_cast<std::size_t>(rows) * units; ++k)
        if (a[k] != 0.0f) layer.alive[k % units] = true;
    }
    for (int r = 0; r < rows && tanh_output; ++r) {
      all_high = all_high && out.data()[r] > kSaturated;
      all_low = all_low && out.data()[r] < -kSaturated;
    }
  }
  for (std::size_t l = 0; l < hidden.size(); ++l) {
    const auto& alive = hidden[l].alive;
    if (std::none_of(alive.begin(), alive.end(), [](bool a) { return a; }))
      return "all " + std::to_string(alive.size()) + " units of layer " + std::to_string(l + 1) + " are dead (" +
             hidden[l].activation + " outputs 0 for every point): lower the learning rate and reset";
  }
  if (tanh_output && n > 0 && (all_high || all_low))
    return std::string("the output is saturated (tanh at ") + (all_high ? "+1" : "-1") +
           " for every point, so its gradient vanishes): lower the learning rate and reset";
  return "";
}

}  // namespace netlens::train
