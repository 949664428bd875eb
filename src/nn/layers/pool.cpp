#include "nn/layers/pool.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "nn/layers/simd16.hpp"

namespace netlens::nn {

namespace {

// Runs f(in, out, dy_or_dx...) plane by plane: `plane_fn(plane)` does one channel of one
// sample. Planes are independent, so threads share them.
template <class F>
void each_plane(const Pool2DShape& s, int batch, F&& plane_fn) {
  const std::size_t planes = static_cast<std::size_t>(batch) * s.channels;
  const std::size_t min_planes = 16384 / static_cast<std::size_t>(s.height * s.width) + 1;
  parallel::parallel_for(planes, min_planes, [&](std::size_t p0, std::size_t p1) {
    for (std::size_t plane = p0; plane < p1; ++plane) plane_fn(plane);
  });
}

// 2x2 windows at stride 2, the pool of every CNN here, 16 windows at a time: W5's profile had
// the general loops at 35 % of its time (scalar, a window per iteration), this path at 8 to
// 11 % (docs/architecture.md "Convolutions"). Same results as the general loops, ties included.
using simd16::load_n;
using simd16::M16;
using simd16::store_n;
using simd16::V16;
// The even and odd lanes of the 32 in (a, b), and the low and high halves of a and b
// interleaved. __builtin_shufflevector takes constant lane numbers (GCC 12 and clang alike).
inline V16 even_lanes(V16 a, V16 b) { return __builtin_shufflevector(a, b, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30); }
inline V16 odd_lanes(V16 a, V16 b) { return __builtin_shufflevector(a, b, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31); }
inline V16 interleave_low(V16 a, V16 b) { return __builtin_shufflevector(a, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23); }
inline V16 interleave_high(V16 a, V16 b) { return __builtin_shufflevector(a, b, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31); }

// The 2n floats of a row from p, as two vectors (zeros past them), and back.
inline void load_pairs(const float* p, int n, V16& a, V16& b) {
  a = load_n(p, std::min(2 * n, 16));
  b = load_n(p + 16, std::max(2 * n - 16, 0));
}
inline void store_pairs(float* p, int n, V16 a, V16 b) {
  store_n(p, a, std::min(2 * n, 16));
  store_n(p + 16, b, std::max(2 * n - 16, 0));
}

// y = the maximum of each 2x2 window; x (H, W) one plane, y (H / 2, W / 2)
void max_pool_2x2_forward(const Pool2DShape& s, const float* __restrict x, float* __restrict y) {
  const int W = s.width, oh = s.out_height(), ow = s.out_width();
  for (int oy = 0; oy < oh; ++oy)
    for (int ox0 = 0; ox0 < ow; ox0 += 16) {
      const int n = std::min(16, ow - ox0);
      V16 a0, a1, b0, b1;
      const float* r0 = x + 2 * oy * W + 2 * ox0;
      load_pairs(r0, n, a0, a1);
      load_pairs(r0 + W, n, b0, b1);
      const V16 v0 = a0 > b0 ? a0 : b0, v1 = a1 > b1 ? a1 : b1;
      const V16 even = even_lanes(v0, v1), odd = odd_lanes(v0, v1);
      store_n(y + oy * ow + ox0, odd > even ? odd : even, n);
    }
}

// dx = dy at each 2x2 window's first maximum in reading order, 0 elsewhere (also in the row
// and column no window covers); x and dx (H, W), dy (H / 2, W / 2)
void max_pool_2x2_backward(const Pool2DShape& s, const float* __restrict x, const float* __restrict dy,
                           float* __restrict dx) {
  const int H = s.height, W = s.width, oh = s.out_height(), ow = s.out_width();
  const V16 zero{};
  for (int oy = 0; oy < oh; ++oy) {
    for (int ox0 = 0; ox0 < ow; ox0 += 16) {
      const int n = std::min(16, ow - ox0);
      V16 a0, a1, b0, b1;
      const std::size_t at = static_cast<std::size_t>(2 * oy) * W + static_cast<std::size_t>(2 * ox0);
      load_pairs(x + at, n, a0, a1);
      load_pairs(x + at + W, n, b0, b1);
      const V16 g = load_n(dy + oy * ow + ox0, n);
      const V16 v00 = even_lanes(a0, a1), v01 = odd_lanes(a0, a1);
      const V16 v10 = even_lanes(b0, b1), v11 = odd_lanes(b0, b1);
      V16 top = v00;
      const M16 s01 = v01 > top;
      top = s01 ? v01 : top;
      const M16 s10 = v10 > top;
      top = s10 ? v10 : top;
      const M16 s11 = v11 > top;
      const M16 w10 = s10 & ~s11, w01 = s01 & ~s10 & ~s11, w00 = ~(s01 | s10 | s11);
      const V16 d00 = w00 ? g : zero, d01 = w01 ? g : zero, d10 = w10 ? g : zero, d11 = s11 ? g : zero;
      store_pairs(dx + at, n, interleave_low(d00, d01), interleave_high(d00, d01));
      store_pairs(dx + at + W, n, interleave_low(d10, d11), interleave_high(d10, d11));
    }
    for (int r = 2 * oy; r < 2 * oy + 2; ++r) std::fill(dx + r * W + 2 * ow, dx + (r + 1) * W, 0.0f);
  }
  std::fill(dx + static_cast<std::size_t>(2 * oh) * W, dx + static_cast<std::size_t>(H) * W, 0.0f);
}

}  // namespace

Pool2D::Pool2D(const Pool2DShape& shape, const char* kind) : s_(shape), kind_(kind) {
  if (s_.filter < 1 || s_.stride < 1) throw Error(kind_, "filter and stride must be positive");
  if (s_.height < s_.filter || s_.width < s_.filter)
    throw Error(kind_, std::to_string(s_.height) + "x" + std::to_string(s_.width) + " input is smaller than the " +
                           std::to_string(s_.filter) + "x" + std::to_string(s_.filter) + " window");
}

Shape Pool2D::output_shape(const Shape& input) const {
  if (input != Shape{s_.channels, s_.height, s_.width})
    throw Error(kind_, "expects input shape " + shape_string({s_.channels, s_.height, s_.width}) + ", got " +
                           shape_string(input));
  return {s_.channels, s_.out_height(), s_.out_width()};
}

std::string MaxPool2D::name() const { return "MaxPool2D(" + std::to_string(s_.filter) + ")"; }
std::string AvgPool2D::name() const { return "AvgPool2D(" + std::to_string(s_.filter) + ")"; }

// y = max over the window
void MaxPool2D::forward(const Tensor& x, Tensor& y, int batch) const {
  const int F = s_.filter, S = s_.stride, W = s_.width, oh = s_.out_height(), ow = s_.out_width();
  const std::size_t in_plane = static_cast<std::size_t>(s_.height) * W, out_plane = static_cast<std::size_t>(oh) * ow;
  const float* xs = x.data();
  float* ys = y.data();
  if (F == 2 && S == 2) {
    each_plane(s_, batch, [=, this](std::size_t plane) {
      max_pool_2x2_forward(s_, xs + plane * in_plane, ys + plane * out_plane);
    });
    return;
  }
  each_plane(s_, batch, [=](std::size_t plane) {
    const float* __restrict in = xs + plane * in_plane;
    float* __restrict out = ys + plane * out_plane;
    for (int oy = 0; oy < oh; ++oy)
      for (int ox = 0; ox < ow; ++ox) {
        const float* w = in + oy * S * W + ox * S;
        float m = w[0];
        for (int i = 0; i < F; ++i)
          for (int j = 0; j < F; ++j) m = std::max(m, w[i * W + j]);
        out[oy * ow + ox] = m;
      }
  });
}

// dx = dy at the window's first maximum, 0 elsewhere (windows may overlap: gradients add).
// The maximum is found again with selects, not branches: which input wins is data, and
// mispredicted branches cost more than the search.
void MaxPool2D::backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx, int batch) {
  if (dx) backward_input(x, y, dy, *dx, batch);
}

void MaxPool2D::backward_input(const Tensor& x, const Tensor&, const Tensor& dy, Tensor& dx, int batch) const {
  const int F = s_.filter, S = s_.stride, W = s_.width, oh = s_.out_height(), ow = s_.out_width();
  const std::size_t in_plane = static_cast<std::size_t>(s_.height) * W, out_plane = static_cast<std::size_t>(oh) * ow;
  const float* xs = x.data();
  const float* dys = dy.data();
  float* dxs = dx.data();
  if (F == 2 && S == 2) {
    each_plane(s_, batch, [=, this](std::size_t plane) {
      max_pool_2x2_backward(s_, xs + plane * in_plane, dys + plane * out_plane, dxs + plane * in_plane);
    });
    return;
  }
  each_plane(s_, batch, [=](std::size_t plane) {
    const float* __restrict in = xs + plane * in_plane;
    const float* __restrict g = dys + plane * out_plane;
    float* __restrict d = dxs + plane * in_plane;
    std::fill_n(d, in_plane, 0.0f);
    for (int oy = 0; oy < oh; ++oy)
      for (int ox = 0; ox < ow; ++ox) {
        const int first = oy * S * W + ox * S;
        int best = first;
        float top = in[first];
        for (int i = 0; i < F; ++i)
          for (int j = 0; j < F; ++j) {
            const float v = in[first + i * W + j];
            best = v > top ? first + i * W + j : best;
            top = v > top ? v : top;
          }
        d[best] += g[oy * ow + ox];
      }
  });
}

// y = mean over the window
void AvgPool2D::forward(const Tensor& x, Tensor& y, int batch) const {
  const int F = s_.filter, S = s_.stride, W = s_.width, oh = s_.out_height(), ow = s_.out_width();
  const std::size_t in_plane = static_cast<std::size_t>(s_.height) * W, out_plane = static_cast<std::size_t>(oh) * ow;
  const float scale = 1.0f / static_cast<float>(F * F);
  const float* xs = x.data();
  float* ys = y.data();
  each_plane(s_, batch, [=](std::size_t plane) {
    const float* __restrict in = xs + plane * in_plane;
    float* __restrict out = ys + plane * out_plane;
    for (int oy = 0; oy < oh; ++oy)
      for (int ox = 0; ox < ow; ++ox) {
        const float* w = in + oy * S * W + ox * S;
        float sum = 0.0f;
        for (int i = 0; i < F; ++i)
          for (int j = 0; j < F; ++j) sum += w[i * W + j];
        out[oy * ow + ox] = sum * scale;
      }
  });
}

// dx = dy / F^2 over each window
void AvgPool2D::backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx, int batch) {
  if (dx) backward_input(x, y, dy, *dx, batch);
}

void AvgPool2D::backward_input(const Tensor&, const Tensor&, const Tensor& dy, Tensor& dx, int batch) const {
  const int F = s_.filter, S = s_.stride, W = s_.width, oh = s_.out_height(), ow = s_.out_width();
  const std::size_t in_plane = static_cast<std::size_t>(s_.height) * W, out_plane = static_cast<std::size_t>(oh) * ow;
  const float scale = 1.0f / static_cast<float>(F * F);
  const float* dys = dy.data();
  float* dxs = dx.data();
  each_plane(s_, batch, [=](std::size_t plane) {
    const float* __restrict g = dys + plane * out_plane;
    float* __restrict d = dxs + plane * in_plane;
    std::fill_n(d, in_plane, 0.0f);
    for (int oy = 0; oy < oh; ++oy)
      for (int ox = 0; ox < ow; ++ox) {
        float* w = d + oy * S * W + ox * S;
        for (int i = 0; i < F; ++i)
          for (int j = 0; j < F; ++j) w[i * W + j] += g[oy * ow + ox] * scale;
      }
  });
}

}  // namespace netlens::nn
