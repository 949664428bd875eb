#pragma once
// A drawn or photographed digit prepared the way MNIST's digits were: the ink's bounding box
// scaled (keeping its aspect ratio) to fit 20×20, then placed in a 28×28 image so that its
// centre of mass is the centre. Ink is bright on dark; an image whose border is mostly bright
// (dark ink on paper) is inverted first.
#include <vector>

namespace netlens::data {

inline constexpr int kDigitSize = 28;
inline constexpr int kDigitBox = 20;

// gray is h × w, row-major, values in [0, 1]; returns 28 × 28 values in [0, 1] (all zero when
// there is no ink).
std::vector<float> prepare_digit(const std::vector<float>& gray, int h, int w);

}  // namespace netlens::data
