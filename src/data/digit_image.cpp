#include "data/digit_image.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "data/resize.hpp"

namespace netlens::data {

namespace {
constexpr float kInk = 0.05f;  // a pixel brighter than this counts for the bounding box

float border_mean(const std::vector<float>& g, int h, int w) {
  double sum = 0;
  int n = 0;
  for (int x = 0; x < w; ++x) sum += g[static_cast<std::size_t>(x)] + g[static_cast<std::size_t>((h - 1) * w + x)], n += 2;
  for (int y = 0; y < h; ++y) sum += g[static_cast<std::size_t>(y * w)] + g[static_cast<std::size_t>(y * w + w - 1)], n += 2;
  return static_cast<float>(sum / n);
}
}  // namespace

std::vector<float> prepare_digit(const std::vector<float>& gray, int h, int w) {
  if (h < 1 || w < 1 || gray.size() != static_cast<std::size_t>(h) * static_cast<std::size_t>(w))
    throw Error("image", "expected " + std::to_string(h) + "×" + std::to_string(w) + " values, got " + std::to_string(gray.size()));
  std::vector<float> g(gray);
  for (auto& v : g) v = std::clamp(v, 0.0f, 1.0f);
  if (border_mean(g, h, w) > 0.5f)
    for (auto& v : g) v = 1.0f - v;

  int top = h, bottom = -1, left = w, right = -1;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      if (g[static_cast<std::size_t>(y * w + x)] > kInk) top = std::min(top, y), bottom = std::max(bottom, y), left = std::min(left, x), right = std::max(right, x);
  std::vector<float> out(kDigitSize * kDigitSize, 0.0f);
  if (bottom < 0) return out;

  // The box, scaled so its longer side is 20 pixels.
  const int bh = bottom - top + 1, bw = right - left + 1;
  std::vector<float> box(static_cast<std::size_t>(bh * bw));
  for (int y = 0; y < bh; ++y)
    for (int x = 0; x < bw; ++x) box[static_cast<std::size_t>(y * bw + x)] = g[static_cast<std::size_t>((top + y) * w + left + x)];
  const double scale = double(kDigitBox) / std::max(bh, bw);
  const int sh = std::max(1, static_cast<int>(std::lround(bh * scale))), sw = std::max(1, static_cast<int>(std::lround(bw * scale)));
  std::vector<float> scaled(static_cast<std::size_t>(sh * sw));
  resize_area(box.data(), bh, bw, scaled.data(), sh, sw);

  // Centre of mass to (14, 14), i.e. between pixels 13 and 14 as in MNIST's 28 × 28 frame.
  double mass = 0, cy = 0, cx = 0;
  for (int y = 0; y < sh; ++y)
    for (int x = 0; x < sw; ++x) {
      const double v = scaled[static_cast<std::size_t>(y * sw + x)];
      mass += v, cy += v * (y + 0.5), cx += v * (x + 0.5);
    }
  const int oy = static_cast<int>(std::lround(kDigitSize / 2.0 - cy / mass));
  const int ox = static_cast<int>(std::lround(kDigitSize / 2.0 - cx / mass));
  for (int y = 0; y < sh; ++y)
    for (int x = 0; x < sw; ++x) {
      const int ty = y + oy, tx = x + ox;
      if (ty >= 0 && ty < kDigitSize && tx >= 0 && tx < kDigitSize)
        out[static_cast<std::size_t>(ty * kDigitSize + tx)] = std::min(1.0f, scaled[static_cast<std::size_t>(y * sw + x)]);
    }
  return out;
}

}  // namespace netlens::data
