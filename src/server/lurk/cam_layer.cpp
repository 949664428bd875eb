#include "server/lurk/cam_layer.hpp"

#include <algorithm>

#include "nn/layers/activation.hpp"
#include "nn/layers/conv2d.hpp"
#include "probe/lurk/cam.hpp"

namespace netlens::server::lurk {

int view_cam_layer(const nn::Network& network) {
  int chosen = probe::lurk::default_cam_layer(network);  // throws for a network without a conv layer
  Shape shape = network.input_shape();
  int best = -1;
  for (std::size_t l = 0; l < network.size(); ++l) {
    shape = network.layer(l).output_shape(shape);
    const auto* conv = dynamic_cast<const nn::Conv2D*>(&network.layer(l));
    if (!conv || std::min(shape[1], shape[2]) < kMinCamSide) continue;
    const bool activated = l + 1 < network.size() && dynamic_cast<const nn::ActivationLayer*>(&network.layer(l + 1));
    best = static_cast<int>(activated ? l + 1 : l);
  }
  if (best >= 0) chosen = best;
  return chosen;
}

}  // namespace netlens::server::lurk
