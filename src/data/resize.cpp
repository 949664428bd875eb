#include "data/resize.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace netlens::data {

namespace {
// For output index o of n_out over n_in inputs: the inputs it covers and their weights.
struct Span {
  int first;
  std::vector<float> weights;
};

std::vector<Span> spans(int n_in, int n_out) {
  std::vector<Span> out(static_cast<std::size_t>(n_out));
  const double scale = double(n_in) / n_out;
  for (int o = 0; o < n_out; ++o) {
    const double lo = o * scale, hi = (o + 1) * scale;
    Span& s = out[static_cast<std::size_t>(o)];
    s.first = static_cast<int>(std::floor(lo));
    for (int i = s.first; i < n_in && i < hi; ++i)
      s.weights.push_back(static_cast<float>((std::min<double>(hi, i + 1) - std::max<double>(lo, i)) / scale));
  }
  return out;
}
}  // namespace

// dst(y, x) = sum over covered (i, j) of src(i, j) wy_i wx_j, the weights summing to 1 per axis
void resize_area(const float* src, int sh, int sw, float* dst, int dh, int dw) {
  if (sh == dh && sw == dw) {  // every weight is 1: a copy (and no spans allocated per image)
    std::copy_n(src, static_cast<std::size_t>(sh) * sw, dst);
    return;
  }
  const auto rows = spans(sh, dh), cols = spans(sw, dw);
  for (int y = 0; y < dh; ++y)
    for (int x = 0; x < dw; ++x) {
      const Span& r = rows[static_cast<std::size_t>(y)];
      const Span& c = cols[static_cast<std::size_t>(x)];
      float sum = 0;
      for (std::size_t i = 0; i < r.weights.size(); ++i)
        for (std::size_t j = 0; j < c.weights.size(); ++j)
          sum += r.weights[i] * c.weights[j] * src[(r.first + static_cast<int>(i)) * sw + c.first + static_cast<int>(j)];
      dst[y * dw + x] = sum;
    }
}

Tensor resize_images(const Tensor& images, int from, int to) {
  const int n = images.dim(0);
  Tensor out({n, to * to});
  for (int i = 0; i < n; ++i)
    resize_area(images.data() + static_cast<std::size_t>(i) * from * from, from, from,
                out.data() + static_cast<std::size_t>(i) * to * to, to, to);
  return out;
}

}  // namespace netlens::data
