#pragma once
// Images as exports draw them: one byte per pixel indexing a palette of at most 256 colours,
// the same palette for every frame of an animation (GIF's shape; PNG and video expand it).
#include <cstdint>
#include <vector>

namespace netlens::exports {

struct Rgb {
  std::uint8_t r, g, b;
  bool operator==(const Rgb&) const = default;
};

using Palette = std::vector<Rgb>;  // at most 256 entries

struct IndexedImage {
  int width = 0, height = 0;
  std::vector<std::uint8_t> pixels;  // row-major, row 0 the top
  IndexedImage() = default;
  IndexedImage(int w, int h) : width(w), height(h), pixels(static_cast<std::size_t>(w) * static_cast<std::size_t>(h)) {}
  std::uint8_t& at(int x, int y) { return pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)]; }
};

// width * height * 3 bytes, R G B per pixel.
inline std::vector<std::uint8_t> to_rgb(const IndexedImage& image, const Palette& palette) {
  std::vector<std::uint8_t> rgb;
  rgb.reserve(image.pixels.size() * 3);
  for (std::uint8_t i : image.pixels) {
    const Rgb& c = palette[i];
    rgb.insert(rgb.end(), {c.r, c.g, c.b});
  }
  return rgb;
}

// width * height * 4 bytes, R G B A per pixel, opaque (a browser canvas's ImageData).
inline std::vector<std::uint8_t> to_rgba(const IndexedImage& image, const Palette& palette) {
  std::vector<std::uint8_t> rgba;
  rgba.reserve(image.pixels.size() * 4);
  for (std::uint8_t i : image.pixels) {
    const Rgb& c = palette[i];
    rgba.insert(rgba.end(), {c.r, c.g, c.b, 255});
  }
  return rgba;
}

}  // namespace netlens::exports
