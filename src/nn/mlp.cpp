#include "nn/mlp.hpp"

#include "core/names.hpp"
#include "nn/layers/conv2d.hpp"
#include "nn/layers/dense.hpp"

namespace netlens::nn {

namespace {
constexpr NameTable<WeightInit, 3> kWeightInits{
    {{WeightInit::Xavier, "xavier"}, {WeightInit::Playground, "playground"}, {WeightInit::He, "he"}}};
}  // namespace

std::string_view weight_init_name(WeightInit w) { return name_of(kWeightInits, w); }
std::vector<std::string_view> weight_init_names() { return names_of(kWeightInits); }
WeightInit parse_weight_init(std::string_view name, const std::string& where) {
  return parse_name(kWeightInits, name, where, "init");
}

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

void init_weights(Network& network, Rng& rng, WeightInit how) {
  for (std::size_t i = 0; i < network.size(); ++i) {
    if (auto* conv = dynamic_cast<Conv2D*>(&network.layer(i))) conv->init(rng);
    auto* dense = dynamic_cast<Dense*>(&network.layer(i));
    if (!dense) continue;
    auto init = how == WeightInit::Playground ? Init::Playground : how == WeightInit::He ? Init::He : Init::Xavier;
    if (how == WeightInit::Xavier && i + 1 < network.size())
      if (const auto* act = dynamic_cast<const ActivationLayer*>(&network.layer(i + 1)))
        if (is_relu_like(act->activation())) init = Init::He;
    dense->init(init, rng);
  }
}

}  // namespace netlens::nn
