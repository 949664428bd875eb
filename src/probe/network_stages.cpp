#include "probe/network_stages.hpp"

#include <algorithm>

#include "nn/layers/activation.hpp"
#include "nn/layers/conv2d.hpp"
#include "nn/layers/dense.hpp"
#include "nn/layers/pool.hpp"
#include "nn/layers/softmax.hpp"

namespace netlens::probe {

std::vector<Stage> network_stages(const nn::Network& network) {
  std::vector<Stage> stages{{"input", "input", network.input_shape(), 0, -1}};
  Shape shape = network.input_shape();
  for (std::size_t i = 0; i < network.size(); ++i) {
    const nn::Layer& l = network.layer(i);
    shape = l.output_shape(shape);
    const bool weighted = dynamic_cast<const nn::Dense*>(&l) || dynamic_cast<const nn::Conv2D*>(&l);
    if (weighted) {
      const bool activated = i + 1 < network.size() && dynamic_cast<const nn::ActivationLayer*>(&network.layer(i + 1));
      const char* kind = dynamic_cast<const nn::Conv2D*>(&l) ? "conv" : "dense";
      stages.push_back({kind, l.name(), shape, activated ? i + 2 : i + 1, static_cast<int>(i)});
    } else if (dynamic_cast<const nn::Pool2D*>(&l)) {
      stages.push_back({"pool", l.name(), shape, i + 1, -1});
    }
  }
  stages.back().kind = "output";
  return stages;
}

nlohmann::json stages_json(const std::vector<Stage>& stages) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& s : stages) out.push_back({{"kind", s.kind}, {"name", s.name}, {"shape", s.shape}});
  return out;
}

std::vector<Tensor> stage_values(const std::vector<Stage>& stages, const nn::Workspace& ws) {
  std::vector<Tensor> out;
  for (const auto& s : stages) {
    Tensor t(s.shape);
    std::copy_n(ws.acts[s.act].data(), t.size(), t.data());
    if (s.kind == "output") nn::softmax_row(ws.acts[s.act].data(), t.data(), static_cast<int>(t.size()));
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<Tensor> stage_weights(const std::vector<Stage>& stages, nn::Network& network) {
  std::vector<Tensor> out;
  for (const auto& s : stages) {
    if (s.layer < 0) {
      out.emplace_back(Shape{0});
      continue;
    }
    nn::Layer& l = network.layer(static_cast<std::size_t>(s.layer));
    if (auto* d = dynamic_cast<nn::Dense*>(&l)) {
      out.push_back(d->weight());
    } else {
      auto* c = dynamic_cast<nn::Conv2D*>(&l);
      const auto& cs = c->shape();
      Tensor t({cs.out_channels, cs.in_channels, cs.filter, cs.filter});
      t.values() = c->weight().values();
      out.push_back(std::move(t));
    }
  }
  return out;
}

}  // namespace netlens::probe
