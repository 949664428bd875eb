#include "nn/layers/pool.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/parallel.hpp"

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

void AvgPool2D::backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx, int batch) {
  if (dx) backward_input(x, y, dy, *dx, batch);
}

// dx = dy / F^2 over each window
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
