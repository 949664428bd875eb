#pragma once
// Receptive fields: the input pixels a unit can see. Through a conv or pool layer (kernel k,
// stride s, padding p) the output rows [a, b] see the input rows [a s - p, b s - p + k - 1];
// the box is composed layer by layer from the unit down to the input, clipped to each layer's
// map (padding is not an input). After a flatten or dense layer a unit sees the whole image.
// Its analytic size is r_L = r_{L-1} + (k_L - 1) j_{L-1} with jump j_L = j_{L-1} s_L, r = j = 1
// at the input: the box's size before clipping.
#include "nn/network.hpp"

namespace netlens::probe::lurk {

struct Box {  // rows [y0, y1), columns [x0, x1) of the input image
  int y0 = 0, x0 = 0, y1 = 0, x1 = 0;
  int height() const { return y1 - y0; }
  int width() const { return x1 - x0; }
  bool contains(int y, int x) const { return y >= y0 && y < y1 && x >= x0 && x < x1; }
  bool operator==(const Box&) const = default;
};

// The clipped input box of the unit at (y, x) of layer `layer`'s output (any channel).
Box receptive_field(const nn::Network& network, int layer, int y, int x);

struct FieldSize {
  int size = 1;        // r: the side of the unclipped box
  int jump = 1;        // j: input pixels between neighbouring units of the layer
  bool whole = false;  // a flatten or dense layer is at or below: the whole image
};
FieldSize receptive_field_size(const nn::Network& network, int layer);

}  // namespace netlens::probe::lurk
