#pragma once
// The 2D data sets of TensorFlow Playground, generated the way it generates them, plus
// two-moons, checkerboard and seven blobs. A generator is a pure function (count, noise, rng)
// -> points. Points lie in about [-6, 6]^2. Labels: -1 or +1 for two classes, a target in
// [-1, 1] for regression (TensorFlow Playground's convention), the class 0..k-1 for k > 2.
#include <string>
#include <string_view>
#include <vector>

#include "core/rng.hpp"

namespace netlens::data {

struct Point2D {
  float x1, x2, label;
};

enum class Problem { Classification, Regression };

struct Synthetic2D {
  std::string_view name;
  Problem problem;
  int classes;  // 2 for the binary sets, k for a k-class set, 0 for regression
  std::vector<Point2D> (*generate)(int count, double noise, Rng& rng);  // noise in [0, 0.5]
};

// Every registered generator, in the order the Playground lists them.
const std::vector<Synthetic2D>& synthetic2d_sets();
const Synthetic2D& find_synthetic2d(std::string_view name, const std::string& where);  // throws Error

// The domain the Playground draws and samples its heatmaps over.
inline constexpr double kDomainMin = -6.0, kDomainMax = 6.0;

// Classic XOR: the four corners of the unit square, +1 where the two bits differ, -1 where
// they agree. Not in the registry above (four points cannot be split into training and test
// sets); the Inside view trains on all four and draws them over [kXor4Min, kXor4Max]^2.
std::vector<Point2D> xor4_points();
inline constexpr double kXor4Min = -0.5, kXor4Max = 1.5;

}  // namespace netlens::data
