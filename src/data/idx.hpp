#pragma once
// IDX files (the format of MNIST and Fashion-MNIST), plain or gzipped, read with checks:
// magic number, element type (unsigned byte only), dimensions, and a payload that matches the
// header exactly. Every error names the file and the problem; nothing is allocated beyond what
// the header promises, and that is capped (kMaxIdxBytes) and, for plain files, checked against
// the file's size before reading.
#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.hpp"

namespace netlens::data {

inline constexpr std::size_t kMaxIdxBytes = std::size_t{1} << 30;

struct IdxArray {
  std::vector<int> dims;
  std::vector<std::uint8_t> values;
};

IdxArray read_idx(const std::string& path);

// Images as floats in [0, 1], shape (N, rows * cols), with their labels 0..9.
struct ImageSet {
  Tensor images;
  std::vector<int> labels;
  int rows = 0, cols = 0;
  int size() const { return static_cast<int>(labels.size()); }
};

// Reads `<dir>/<split>-images-idx3-ubyte` and `-labels-idx1-ubyte` (".gz" also accepted),
// split "train" or "t10k", and checks they agree.
ImageSet load_image_set(const std::string& dir, const std::string& split);

}  // namespace netlens::data
