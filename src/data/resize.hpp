#pragma once
// Image resizing by area: each output pixel is the mean of the input area it covers (partly
// covered input pixels weigh by the share covered). Downsizing 28×28 to 14×14 averages 2×2
// blocks; any sizes work, both ways.
#include "core/tensor.hpp"

namespace netlens::data {

// src is sh × sw, dst dh × dw, both row-major.
void resize_area(const float* src, int sh, int sw, float* dst, int dh, int dw);

// Every row of images (N, from * from) resized to (N, to * to).
Tensor resize_images(const Tensor& images, int from, int to);

}  // namespace netlens::data
