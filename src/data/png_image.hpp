#pragma once
// Reading a PNG file as grayscale values in [0, 1] (libpng's simplified API converts any
// colour type; alpha is composited over white, as paper).
#include <string>
#include <vector>

namespace netlens::data {

struct GrayImage {
  int height = 0, width = 0;
  std::vector<float> values;  // row-major
};

GrayImage read_png_gray(const std::string& path);  // throws Error("PATH: reason")

}  // namespace netlens::data
