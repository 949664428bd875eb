#include "nn/mlp.hpp"

#include "nn/layers/conv2d.hpp"
#include "nn/layers/dense.hpp"

namespace netlens::nn {

Network build_mlp(int inputs, const std::vector<DenseSpec>& layers) {
  Network net({inputs});
  int in = inputs;
  for (const auto& l : layers) {
    net.add(std::make_unique<Dense>(in, l.units));
    if (l.activation != Activation::Linear) net.add(std::make_unique<ActivationLayer>(l.activation));
    in = l.units;
  }
  return net;
}

void init_weights(Network& network, Rng& rng) {
  for (std::size_t i = 0; i < network.size(); ++i) {
    if (auto* conv = dynamic_cast<Conv2D*>(&network.layer(i))) conv->init(rng);
    auto* dense = dynamic_cast<Dense*>(&network.layer(i));
    if (!dense) continue;
    auto init = Init::Xavier;
    if (i + 1 < network.size())
      if (const auto* act = dynamic_cast<const ActivationLayer*>(&network.layer(i + 1)))
        if (is_relu_like(act->activation())) init = Init::He;
    dense->init(init, rng);
  }
}

}  // namespace netlens::nn
