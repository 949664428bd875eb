#include "export/map_render.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/names.hpp"
#include "export/font.hpp"

namespace netlens::exports {

namespace {

constexpr NameTable<MapMode, 2> kModes{{{MapMode::Boundary, "boundary"}, {MapMode::Region, "region"}}};
constexpr NameTable<BoundaryMeasure, 2> kMeasures{
    {{BoundaryMeasure::MaxProbability, "max"}, {BoundaryMeasure::Margin, "margin"}}};
constexpr NameTable<RegionShading, 3> kShadings{
    {{RegionShading::Argmax, "argmax"}, {RegionShading::Smooth, "smooth"}, {RegionShading::Intensity, "intensity"}}};

// Palette layout: background, foreground, one colour per class, then the ramps.
constexpr std::uint8_t kBackgroundIndex = 0, kForegroundIndex = 1, kFirstClass = 2;
// Shades per ramp: 64 steps look smooth, and fewer distinct pixels between frames keep GIFs small.
constexpr int kRampLevels = 64;

// Each class's probability averaged over the 3 x 3 grid points around each point (fewer at
// the edges).
void box_filter(const float* in, int k, int w, int h, float* out) {
  const int n = w * h;
  for (int c = 0; c < k; ++c)
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        float sum = 0;
        int count = 0;
        for (int dy = -1; dy <= 1; ++dy)
          for (int dx = -1; dx <= 1; ++dx) {
            const int xx = x + dx, yy = y + dy;
            if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
            sum += in[c * n + yy * w + xx];
            ++count;
          }
        out[c * n + y * w + x] = sum / static_cast<float>(count);
      }
}

// The grid points around a pixel along one axis: pixel centre (x + 1/2) lies at grid
// coordinate (x + 1/2) n / pixels - 1/2, between points i0 and i1 = i0 + 1, a fraction f past i0.
void locate(int pixel, int pixels, int n, int& i0, int& i1, float& f) {
  const float g = std::clamp((static_cast<float>(pixel) + 0.5f) * static_cast<float>(n) / static_cast<float>(pixels) - 0.5f,
                             0.0f, static_cast<float>(n - 1));
  i0 = std::min(static_cast<int>(g), n - 2);
  i1 = i0 + 1;
  f = g - static_cast<float>(i0);
}

}  // namespace

std::string_view map_mode_name(MapMode mode) { return name_of(kModes, mode); }
MapMode parse_map_mode(std::string_view name, const std::string& where) { return parse_name(kModes, name, where, "mode"); }
BoundaryMeasure parse_boundary_measure(std::string_view name, const std::string& where) {
  return parse_name(kMeasures, name, where, "boundary measure");
}
RegionShading parse_region_shading(std::string_view name, const std::string& where) {
  return parse_name(kShadings, name, where, "region shading");
}

MapRenderer::MapRenderer(MapStyle style, int classes, probe::Grid grid, int width, int height)
    : style_(style), classes_(classes), grid_(grid), width_(width), height_(height) {
  if (classes < 2 || classes > kMaxClasses)
    throw Error("render", "maps draw 2.." + std::to_string(kMaxClasses) + " classes, the run has " +
                              std::to_string(classes));
  if (width < 16 || height < 16 || width > 4096 || height > 4096)
    throw Error("render", "frames must be 16..4096 pixels a side, got " + std::to_string(width) + "x" +
                              std::to_string(height));
  const Rgb background = background_colour(style.background);
  palette_ = {background, foreground_colour(style.background)};
  for (int c = 0; c < classes; ++c) palette_.push_back(class_colour(c, classes));
  // One entry stays free for the GIF writer's "unchanged pixel" (see export/gif.hpp).
  const int free = 255 - static_cast<int>(palette_.size());
  if (style.mode == MapMode::Boundary) {
    levels_ = std::min(free, kRampLevels);
    for (int i = 0; i < levels_; ++i) palette_.push_back(colour_at(style.colour_map, double(i) / (levels_ - 1)));
  } else if (style.shading == RegionShading::Intensity) {
    levels_ = std::min(free / classes, kRampLevels);
    for (int c = 0; c < classes; ++c)
      for (int i = 0; i < levels_; ++i) palette_.push_back(mix(background, class_colour(c, classes), double(i) / (levels_ - 1)));
  } else {
    levels_ = 0;
  }
  if (style.mode == MapMode::Region && style.shading == RegionShading::Smooth)
    smoothed_.resize(static_cast<std::size_t>(classes) * static_cast<std::size_t>(grid.points()));
}

std::uint8_t MapRenderer::colour_index(const float* q) const {
  int best = 0;
  for (int c = 1; c < classes_; ++c)
    if (q[c] > q[best]) best = c;
  const auto ramp = static_cast<std::uint8_t>(kFirstClass + classes_);
  const float chance = 1.0f / static_cast<float>(classes_);
  const float max_confidence = std::clamp((q[best] - chance) / (1.0f - chance), 0.0f, 1.0f);
  if (style_.mode == MapMode::Boundary) {
    float confidence = max_confidence;
    if (style_.measure == BoundaryMeasure::Margin) {
      float second = 0;
      for (int c = 0; c < classes_; ++c)
        if (c != best) second = std::max(second, q[c]);
      confidence = std::clamp(q[best] - second, 0.0f, 1.0f);
    }
    const float t = style_.background == Background::Dark ? 1.0f - confidence : confidence;
    return static_cast<std::uint8_t>(ramp + std::lround(t * static_cast<float>(levels_ - 1)));
  }
  if (style_.shading == RegionShading::Intensity)
    return static_cast<std::uint8_t>(ramp + best * levels_ + std::lround(max_confidence * static_cast<float>(levels_ - 1)));
  return static_cast<std::uint8_t>(kFirstClass + best);
}

IndexedImage MapRenderer::render(const float* probabilities, const std::vector<data::Point2D>& points,
                                 std::string_view title) {
  const float* p = probabilities;
  if (!smoothed_.empty()) {
    box_filter(probabilities, classes_, grid_.width, grid_.height, smoothed_.data());
    p = smoothed_.data();
  }
  IndexedImage image(width_, height_);
  const int n = grid_.points();
  std::vector<float> q(static_cast<std::size_t>(classes_));
  for (int y = 0; y < height_; ++y) {
    int r0, r1;
    float fy;
    locate(y, height_, grid_.height, r0, r1, fy);
    for (int x = 0; x < width_; ++x) {
      int c0, c1;
      float fx;
      locate(x, width_, grid_.width, c0, c1, fx);
      for (int c = 0; c < classes_; ++c) {
        const float* m = p + static_cast<std::size_t>(c) * static_cast<std::size_t>(n);
        const float top = (1 - fx) * m[r0 * grid_.width + c0] + fx * m[r0 * grid_.width + c1];
        const float bottom = (1 - fx) * m[r1 * grid_.width + c0] + fx * m[r1 * grid_.width + c1];
        q[static_cast<std::size_t>(c)] = (1 - fy) * top + fy * bottom;
      }
      image.at(x, y) = colour_index(q.data());
    }
  }
  if (style_.points) draw_points(image, points);
  if (!title.empty()) draw_title(image, title);
  return image;
}

void MapRenderer::draw_points(IndexedImage& image, const std::vector<data::Point2D>& points) const {
  const probe::Domain& d = grid_.domain;
  const int radius = std::max(2, std::min(width_, height_) / 150);
  for (const auto& pt : points) {
    const int c = classes_ == 2 ? pt.label > 0 : static_cast<int>(pt.label);
    const double cx = (pt.x1 - d.x_min) / (d.x_max - d.x_min) * width_;
    const double cy = (d.y_max - pt.x2) / (d.y_max - d.y_min) * height_;
    for (int y = static_cast<int>(cy) - radius - 1; y <= static_cast<int>(cy) + radius + 1; ++y)
      for (int x = static_cast<int>(cx) - radius - 1; x <= static_cast<int>(cx) + radius + 1; ++x) {
        if (x < 0 || y < 0 || x >= width_ || y >= height_) continue;
        const double r = std::hypot(x + 0.5 - cx, y + 0.5 - cy);
        if (r <= radius)
          image.at(x, y) = static_cast<std::uint8_t>(kFirstClass + c);
        else if (r <= radius + 1)
          image.at(x, y) = kForegroundIndex;
      }
  }
}

void MapRenderer::draw_title(IndexedImage& image, std::string_view title) const {
  const int scale = std::max(1, width_ / 250);
  const int pad = 2 * scale;
  const int w = std::min(width_, text_width(title, scale) + 2 * pad), h = std::min(height_, kGlyphHeight * scale + 2 * pad);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) image.at(x, y) = kBackgroundIndex;
  draw_text(image, pad, pad, title, scale, kForegroundIndex);
}

}  // namespace netlens::exports
