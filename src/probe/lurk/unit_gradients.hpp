#pragma once
// For a unit's top images: where and why. Each image gets the unit's receptive-field box at its
// argmax and the vanilla and guided-backprop gradients of the unit there (a one-hot at the
// conv or dense layer's own output, before its activation: the unit-level target consistent
// with the crop, as the Deep Visualization Toolbox does), whole images of the input's size.
#include <vector>

#include "probe/lurk/backprop.hpp"
#include "probe/lurk/receptive_field.hpp"
#include "probe/lurk/top_k.hpp"

namespace netlens::probe::lurk {

struct TopImageViews {
  std::vector<Box> boxes;                  // one per top entry
  std::vector<float> vanilla, guided;      // entries x input size
};

// `images` holds the whole set at the network's input size; bp.capacity() >= top.size().
TopImageViews top_image_views(Backprop& bp, int layer, int unit, const std::vector<TopEntry>& top, const float* images);

}  // namespace netlens::probe::lurk
