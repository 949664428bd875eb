#pragma once
// Network: a chain of layers. Parameters live in the layers; the activations and their
// gradients live in a Workspace sized once for a maximum batch, so a training step allocates
// nothing and several workspaces (training batch, evaluation grid) can share one network.
#include <memory>
#include <vector>

#include "nn/layers/layer.hpp"

namespace netlens::nn {

struct Workspace {
  int capacity = 0;
  std::vector<Tensor> acts;   // acts[0] is the input, acts[i + 1] the output of layer i
  std::vector<Tensor> grads;  // grads[i] = dL/d acts[i] (grads[0] unused)
  Tensor& input() { return acts.front(); }
  const Tensor& output() const { return acts.back(); }
  Tensor& output_grad() { return grads.back(); }
};

class Network {
 public:
  explicit Network(Shape input_shape) : input_shape_(std::move(input_shape)), output_shape_(input_shape_) {}

  void add(std::unique_ptr<Layer> layer);  // checks the layer accepts the current output shape

  const Shape& input_shape() const { return input_shape_; }
  const Shape& output_shape() const { return output_shape_; }
  std::size_t size() const { return layers_.size(); }
  Layer& layer(std::size_t i) { return *layers_[i]; }
  const Layer& layer(std::size_t i) const { return *layers_[i]; }
  std::vector<Param> params();
  std::size_t param_count();
  // Training mode for the layers that have one (Dropout draws a new mask each time it is set).
  void set_training(bool training);

  Workspace make_workspace(int capacity) const;
  // Runs ws.input()'s first `batch` rows through every layer; returns ws.output().
  const Tensor& forward(Workspace& ws, int batch) const;
  // From ws.output_grad() back to the first layer: writes every parameter gradient.
  void backward(Workspace& ws, int batch);

 private:
  Shape input_shape_, output_shape_;
  std::vector<std::unique_ptr<Layer>> layers_;
};

}  // namespace netlens::nn
