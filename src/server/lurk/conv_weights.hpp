#pragma once
// A conv layer of a network and its units' kernels, and a dense unit's incoming weights, as the
// Lurk view's layer, unit and operation answers send them.
#include "core/tensor.hpp"
#include "nn/layers/conv2d.hpp"
#include "nn/network.hpp"

namespace netlens::server::lurk {

// The conv layer at `layer`, or null when it is another kind.
const nn::Conv2D* conv_at(const nn::Network& network, int layer);
// The (C, F, F) kernels of a conv layer's unit, or of all its units (K, C, F, F) when unit < 0.
Tensor kernels(nn::Network& network, int layer, int unit);
// A dense unit's incoming weights: shaped (C, H, W) as the image a Flatten right before the layer
// flattened, else (in).
Tensor dense_weights(const nn::Network& network, int layer, int unit);

}  // namespace netlens::server::lurk
