#pragma once
// Frames between consecutive probability maps, so a sparse timeline still animates smoothly.
// A map is class-major (ProbabilityMap): k classes times n points. At t = 0 and t = 1 every
// method returns the checkpoints' maps exactly.
//   linear     p = (1 - t) a + t b
//   geometric  p_c proportional to a_c^(1 - t) b_c^t (a straight line in log-probability, as
//              if the logits moved linearly), normalised over the classes
//   cubic      Catmull-Rom in time through the maps before a and after b (a and b stand in for
//              missing ones): the rate of change carries across checkpoints; clamped to [0, 1]
//              and normalised
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace netlens::probe {

enum class Interpolation { Linear, Geometric, Cubic };

std::string_view interpolation_name(Interpolation method);
Interpolation parse_interpolation(std::string_view name, const std::string& where);  // throws Error

// The map at time t in [0, 1] between a and b; before and after may be null.
void interpolate_maps(Interpolation method, const float* before, const float* a, const float* b, const float* after,
                      int classes, int points, float t, float* out);

// Where each frame of an animation through `checkpoints` maps sits with `factor` frames per
// interval: frame f is at checkpoint `index` plus `t` of the way to the next. There are
// (checkpoints - 1) * factor + 1 frames; the last is the last checkpoint (t = 0).
struct FramePosition {
  std::size_t index;
  float t;
};
std::vector<FramePosition> frame_positions(std::size_t checkpoints, int factor);

}  // namespace netlens::probe
