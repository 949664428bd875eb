#include "probe/interpolate.hpp"

#include <algorithm>
#include <cmath>

#include "core/names.hpp"

namespace netlens::probe {

namespace {

constexpr NameTable<Interpolation, 3> kInterpolationNames{{
    {Interpolation::Linear, "linear"},
    {Interpolation::Geometric, "geometric"},
    {Interpolation::Cubic, "cubic"},
}};

constexpr float kFloor = 1e-7f;  // log of a probability that is exactly 0

// Scales point i's k probabilities (stride n) to sum to 1.
void normalise(float* p, int k, int n, int i) {
  float sum = 0;
  for (int c = 0; c < k; ++c) sum += p[c * n + i];
  if (sum > 0)
    for (int c = 0; c < k; ++c) p[c * n + i] /= sum;
}

}  // namespace

std::string_view interpolation_name(Interpolation method) { return name_of(kInterpolationNames, method); }

Interpolation parse_interpolation(std::string_view name, const std::string& where) {
  return parse_name(kInterpolationNames, name, where, "interpolation");
}

void interpolate_maps(Interpolation method, const float* before, const float* a, const float* b, const float* after,
                      int classes, int points, float t, float* out) {
  const std::size_t size = static_cast<std::size_t>(classes) * static_cast<std::size_t>(points);
  if (t <= 0.0f || t >= 1.0f) {
    std::copy_n(t <= 0.0f ? a : b, size, out);
    return;
  }
  switch (method) {
    case Interpolation::Linear:
      for (std::size_t i = 0; i < size; ++i) out[i] = (1.0f - t) * a[i] + t * b[i];
      return;
    case Interpolation::Geometric:
      for (std::size_t i = 0; i < size; ++i)
        out[i] = std::exp((1.0f - t) * std::log(std::max(a[i], kFloor)) + t * std::log(std::max(b[i], kFloor)));
      break;
    case Interpolation::Cubic: {
      const float* p0 = before ? before : a;
      const float* p3 = after ? after : b;
      // p(t) = p1 + t/2 (p2 - p0) + t^2 (p0 - 5/2 p1 + 2 p2 - 1/2 p3) + t^3/2 (3 (p1 - p2) + p3 - p0)
      const float t2 = t * t, t3 = t2 * t;
      for (std::size_t i = 0; i < size; ++i) {
        const float v = a[i] + 0.5f * t * (b[i] - p0[i]) + t2 * (p0[i] - 2.5f * a[i] + 2.0f * b[i] - 0.5f * p3[i]) +
                        0.5f * t3 * (3.0f * (a[i] - b[i]) + p3[i] - p0[i]);
        out[i] = std::clamp(v, 0.0f, 1.0f);
      }
      break;
    }
  }
  for (int i = 0; i < points; ++i) normalise(out, classes, points, i);
}

std::vector<FramePosition> frame_positions(std::size_t checkpoints, int factor) {
  std::vector<FramePosition> frames;
  for (std::size_t i = 0; i + 1 < checkpoints; ++i)
    for (int f = 0; f < factor; ++f) frames.push_back({i, static_cast<float>(f) / static_cast<float>(factor)});
  if (checkpoints > 0) frames.push_back({checkpoints - 1, 0.0f});
  return frames;
}

}  // namespace netlens::probe
