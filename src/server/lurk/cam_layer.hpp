#pragma once
// The view's default layer for the CAM methods. The engine's default (probe::lurk::
// default_cam_layer) is the last conv layer's activation, as in Selvaraju et al.; on the small
// digit CNNs netlens trains that map is 7×7 for a 14 px input, and a CAM upsampled from it is
// blocky and lands beside the stroke: a drawn "1" put 24 % of Grad-CAM's mass on the stroke's
// columns at the last conv layer and 80 % at the first (14×14). The reference's advice for small
// inputs (/work/shared/reference/lurk.md §2.3 and §4: "defaults must scale with the input size";
// Grad-CAM on a 12×12 map was worse than saliency; pick the last conv layer before pooling) is
// followed here: the deepest conv activation whose map is at least kMinCamSide on its shorter
// side, else the engine's default.
#include "nn/network.hpp"

namespace netlens::server::lurk {

inline constexpr int kMinCamSide = 10;

int view_cam_layer(const nn::Network& network);

}  // namespace netlens::server::lurk
