#pragma once
// MapRenderer: draws class-probability maps (probe::ProbabilityMap's class-major values) into
// indexed frames of a fixed size, all with one palette. The grid is resampled bilinearly to
// the frame's pixels, then each pixel is coloured by the mode:
//   boundary  confidence from the maximum class probability, (p_max - 1/k) / (1 - 1/k), or the
//             margin between the top two, p_1st - p_2nd; low-confidence bands trace the
//             boundaries: bright on a dark background, dark on a light one (the colour map
//             runs the other way)
//   region    each class in its palette colour: argmax; argmax after a 3 x 3 box filter over
//             the grid (smooth); or the colour faded into the background as the confidence
//             falls (intensity)
// On top: the data points in their class colours, outlined, and a title in the top-left corner.
#include <string>
#include <string_view>
#include <vector>

#include "data/synthetic2d.hpp"
#include "export/colour.hpp"
#include "probe/grid.hpp"

namespace netlens::exports {

enum class MapMode { Boundary, Region };
enum class BoundaryMeasure { MaxProbability, Margin };
enum class RegionShading { Argmax, Smooth, Intensity };

std::string_view map_mode_name(MapMode mode);
MapMode parse_map_mode(std::string_view name, const std::string& where);  // "boundary", "region"
BoundaryMeasure parse_boundary_measure(std::string_view name, const std::string& where);  // "max", "margin"
RegionShading parse_region_shading(std::string_view name, const std::string& where);  // "argmax", "smooth", "intensity"

struct MapStyle {
  MapMode mode = MapMode::Boundary;
  BoundaryMeasure measure = BoundaryMeasure::MaxProbability;
  RegionShading shading = RegionShading::Argmax;
  ColourMap colour_map = ColourMap::Magma;
  Background background = Background::Dark;
  bool points = true;
};

class MapRenderer {
 public:
  // Throws Error unless 2 <= classes <= kMaxClasses and the frame is 16..4096 pixels a side.
  MapRenderer(MapStyle style, int classes, probe::Grid grid, int width, int height);

  const Palette& palette() const { return palette_; }  // at most 255 colours

  // probabilities: classes x grid points, class-major. Points' labels: -1/+1 for two classes,
  // the class for more. An empty title draws none.
  IndexedImage render(const float* probabilities, const std::vector<data::Point2D>& points, std::string_view title);

 private:
  std::uint8_t colour_index(const float* q) const;  // q: the k probabilities at one pixel
  void draw_points(IndexedImage& image, const std::vector<data::Point2D>& points) const;
  void draw_title(IndexedImage& image, std::string_view title) const;

  MapStyle style_;
  int classes_;
  probe::Grid grid_;
  int width_, height_;
  int levels_;  // palette entries per ramp (boundary: one ramp; intensity: one per class)
  Palette palette_;
  std::vector<float> smoothed_;
};

}  // namespace netlens::exports
