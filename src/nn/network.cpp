#include "nn/network.hpp"

#include "core/error.hpp"

namespace netlens::nn {

void Network::add(std::unique_ptr<Layer> layer) {
  const std::string where = "layers[" + std::to_string(layers_.size()) + "] " + layer->name();
  try {
    output_shape_ = layer->output_shape(output_shape_);
  } catch (const Error& e) {
    throw Error(where, e.what());
  }
  layers_.push_back(std::move(layer));
}

std::vector<Param> Network::params() {
  std::vector<Param> all;
  for (auto& l : layers_)
    for (const auto& p : l->params()) all.push_back(p);
  return all;
}

std::size_t Network::param_count() {
  std::size_t n = 0;
  for (const auto& p : params()) n += p.value->size();
  return n;
}

void Network::set_training(bool training) {
  for (auto& l : layers_) l->set_training(training);
}

Workspace Network::make_workspace(int capacity) const {
  Workspace ws;
  ws.capacity = capacity;
  Shape s = input_shape_;
  auto batched = [capacity](const Shape& per_sample) {
    Shape b{capacity};
    b.insert(b.end(), per_sample.begin(), per_sample.end());
    return b;
  };
  ws.acts.emplace_back(batched(s));
  ws.grads.emplace_back();
  for (const auto& l : layers_) {
    s = l->output_shape(s);
    ws.acts.emplace_back(batched(s));
    ws.grads.emplace_back(batched(s));
  }
  return ws;
}

const Tensor& Network::forward(Workspace& ws, int batch) const {
  for (std::size_t i = 0; i < layers_.size(); ++i) layers_[i]->forward(ws.acts[i], ws.acts[i + 1], batch);
  return ws.acts.back();
}

void Network::backward(Workspace& ws, int batch) {
  for (std::size_t i = layers_.size(); i-- > 0;)
    layers_[i]->backward(ws.acts[i], ws.acts[i + 1], ws.grads[i + 1], i > 0 ? &ws.grads[i] : nullptr, batch);
}

}  // namespace netlens::nn
