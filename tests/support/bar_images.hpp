#pragma once
// A small generated image set in MNIST's IDX layout: a 28 × 28 image of class c (0..9) is
// seeded noise with a bright horizontal bar two pixels thick at row 3 + 2c and a random
// extent, so a network must look at where the bar is.
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "core/rng.hpp"
#include "support/scratch.hpp"

namespace netlens::test {

inline void write_idx(const std::string& path, const std::vector<std::uint32_t>& dims, const std::vector<unsigned char>& values) {
  std::vector<unsigned char> b{0, 0, 0x08, static_cast<unsigned char>(dims.size())};
  for (auto d : dims)
    for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<unsigned char>(d >> s));
  b.insert(b.end(), values.begin(), values.end());
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(b.data()), static_cast<long>(b.size()));
}

inline void write_bar_split(const std::string& dir, const std::string& split, int n, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<unsigned char> images(static_cast<std::size_t>(n) * 784), labels(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const int c = i % 10;
    labels[static_cast<std::size_t>(i)] = static_cast<unsigned char>(c);
    unsigned char* img = images.data() + static_cast<std::size_t>(i) * 784;
    for (int p = 0; p < 784; ++p) img[p] = static_cast<unsigned char>(rng.below(60));
    const int x0 = static_cast<int>(rng.below(10)), x1 = 18 + static_cast<int>(rng.below(10));
    for (int y = 3 + 2 * c; y < 5 + 2 * c; ++y)
      for (int x = x0; x < x1; ++x) img[y * 28 + x] = static_cast<unsigned char>(200 + rng.below(56));
  }
  write_idx(dir + "/" + split + "-images-idx3-ubyte", {static_cast<std::uint32_t>(n), 28, 28}, images);
  write_idx(dir + "/" + split + "-labels-idx1-ubyte", {static_cast<std::uint32_t>(n)}, labels);
}

// A folder of this process's own with n_train training and n_test test images.
inline std::string write_bar_images(const std::string& name, int n_train, int n_test) {
  const std::string dir = (test::scratch_dir() / ("bars_" + name)).string();
  std::filesystem::create_directories(dir);
  write_bar_split(dir, "train", n_train, 1);
  write_bar_split(dir, "t10k", n_test, 2);
  return dir;
}

}  // namespace netlens::test
