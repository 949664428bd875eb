#pragma once
// Backprop: the one machinery every Lurk method shares. It runs a batch forward through a
// network and back to the input from a target (a unit at a position, a channel's mean, a dense
// unit, a class logit), computing input gradients only (Layer::backward_input: no parameter
// gradient is touched, so the network may be const). The rule at each ReLU is chosen per call:
//   normal      dx = 1[x > 0] g
//   guided      dx = 1[x > 0] max(g, 0)      (guided backprop, Springenberg et al. 2014)
//   deconvnet   dx = max(g, 0)               (Zeiler & Fergus 2014)
// Layer indices are the network's: the target "layer L" is the output of layer L. Buffers are
// sized at construction for `capacity` samples, so no call allocates after the first.
#include <string>
#include <vector>

#include "nn/network.hpp"

namespace netlens::probe::lurk {

enum class Rule { Normal, Guided, Deconvnet };

struct Target {
  enum class Kind { Unit, ChannelMean };
  Kind kind = Kind::Unit;
  int layer = 0;    // the output of this layer
  int channel = 0;  // a conv channel or a dense unit (a class logit at the last layer)
  int y = 0, x = 0; // the position for Kind::Unit on a (C, H, W) output; 0, 0 on a flat one
};

Target unit_target(int layer, int channel, int y = 0, int x = 0);
Target channel_mean_target(int layer, int channel);

class Backprop {
 public:
  Backprop(const nn::Network& network, int capacity);

  const nn::Network& network() const { return net_; }
  int capacity() const { return ws_.capacity; }
  int layers() const { return static_cast<int>(net_.size()); }
  // The per-sample shape of layer `layer`'s output (-1: the input).
  const Shape& shape(int layer) const { return shapes_[static_cast<std::size_t>(layer + 1)]; }
  // Throws Error naming the layer, channel or position that does not exist.
  void check(const Target& t) const;

  Tensor& input() { return ws_.input(); }
  const Tensor& input() const { return ws_.acts.front(); }
  void forward(int batch);
  const Tensor& activation(int layer) const { return ws_.acts[static_cast<std::size_t>(layer + 1)]; }
  float value(const Target& t, int sample) const;  // the target's value after forward

  // dL/d(output of `layer`), to be filled by the caller before backward_from(layer, ...).
  Tensor& seed(int layer) { return grads_[static_cast<std::size_t>(layer + 1)]; }
  // From seed(layer) down to the input; after it, gradient(l) holds dL/d(output of l) for
  // every l < layer (gradient(-1) = dL/dx). Returns dL/dx.
  const Tensor& backward_from(int layer, Rule rule, int batch);
  // Seeds d target / d(output of t.layer) for every sample, then backward_from.
  const Tensor& backward(const Target& t, Rule rule, int batch);
  const Tensor& gradient(int layer) const { return grads_[static_cast<std::size_t>(layer + 1)]; }

 private:
  const nn::Network& net_;
  nn::Workspace ws_;
  std::vector<Shape> shapes_;  // shapes_[l + 1]: the output of layer l, per sample
  std::vector<Tensor> grads_;  // grads_[l + 1] = dL/d(output of l); grads_[0] = dL/dx
};

// "layer 7: no such layer; the model has 6 (0..5)" unless 0 <= layer < network.size().
void check_layer(const nn::Network& network, int layer);

}  // namespace netlens::probe::lurk
