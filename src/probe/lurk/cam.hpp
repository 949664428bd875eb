#pragma once
// Class activation maps at a layer with a (C, H, W) output: Grad-CAM, LayerCAM, Score-CAM
// (formulas in attribution.hpp), and the bilinear upsampling that brings a map to the input.
#include <vector>

#include "probe/lurk/backprop.hpp"

namespace netlens::probe::lurk {

// The default CAM layer: the last conv layer's output after its activation, if one follows
// (the last map before pooling, so the finest one; reference §4). Throws Error when the
// network has no conv layer.
int default_cam_layer(const nn::Network& network);
// Throws Error unless `layer` exists and has a (C, H, W) output.
void check_cam_layer(const nn::Network& network, int layer);

// Each returns the map (h, w) at `layer` for target t; bp must hold the input in sample 0.
std::vector<float> grad_cam(Backprop& bp, const Target& t, int layer);
std::vector<float> layer_cam(Backprop& bp, const Target& t, int layer);
// Score-CAM's masked forwards use samples 0.. in chunks; `passes` counts them.
std::vector<float> score_cam(Backprop& bp, const std::vector<float>& image, const Target& t, int layer, int& passes);

// (h, w) -> (H, W), sample points at pixel centres (y + 1/2) h / H - 1/2, clamped at the edges.
std::vector<float> upsample_bilinear(const std::vector<float>& map, int h, int w, int H, int W);

}  // namespace netlens::probe::lurk
