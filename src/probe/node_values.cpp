#include "probe/node_values.hpp"

#include "data/features.hpp"
#include "nn/layers/activation.hpp"
#include "nn/layers/dense.hpp"

namespace netlens::probe {

std::vector<WeightLayerActs> weight_layer_acts(const nn::Network& network) {
  std::vector<WeightLayerActs> layers;
  for (std::size_t i = 0; i < network.size(); ++i) {
    if (!dynamic_cast<const nn::Dense*>(&network.layer(i))) continue;
    const bool activated = i + 1 < network.size() && dynamic_cast<const nn::ActivationLayer*>(&network.layer(i + 1));
    const int pre = static_cast<int>(i) + 1;
    layers.push_back({pre, activated ? pre + 1 : pre});
  }
  return layers;
}

NodeValues node_values(const train::Session& session, float x1, float x2) {
  const nn::Network& network = session.network();
  auto ws = network.make_workspace(1);
  NodeValues v;
  v.inputs.resize(session.spec().features.size());
  data::compute_features(session.spec().features, x1, x2, v.inputs.data());
  std::copy(v.inputs.begin(), v.inputs.end(), ws.input().data());
  network.forward(ws, 1);
  for (const auto& acts : weight_layer_acts(network)) {
    const auto& dense = dynamic_cast<const nn::Dense&>(network.layer(static_cast<std::size_t>(acts.pre - 1)));
    const auto& z = ws.acts[static_cast<std::size_t>(acts.pre)];
    const auto& a = ws.acts[static_cast<std::size_t>(acts.post)];
    v.layers.push_back({{z.data(), z.data() + dense.out()}, {a.data(), a.data() + dense.out()}, dense.bias().values()});
  }
  return v;
}

}  // namespace netlens::probe
