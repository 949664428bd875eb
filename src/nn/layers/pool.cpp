#include "nn/layers/pool.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/parallel.hpp"

namespace netlens::nn {

namespace {

// Calls f(plane, out_index, first_input_index) for every output of every channel plane; the
// window's input (i, j) is at first_input_index + i * width + j within its plane. Planes are
// independent, so threads share them.
template <class F>
void each_window(const Pool2DShape& s, int batch, F&& f) {
  const int oh = s.out_height(), ow = s.out_width();
  const std::size_t planes = static_cast<std::size_t>(batch) * s.channels;
  const std::size_t min_planes = 16384 / static_cast<std::size_t>(s.height * s.width) + 1;
  parallel::parallel_for(planes, min_planes, [&](std::size_t p0, std::size_t p1) {
    for (auto plane = static_cast<int>(p0); plane < static_cast<int>(p1); ++plane)
      for (int oy = 0; oy < oh; ++oy)
        for (int ox = 0; ox < ow; ++ox) f(plane, oy * ow + ox, oy * s.stride * s.width + ox * s.stride);
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
  const int in_plane = s_.height * s_.width, out_plane = s_.out_height() * s_.out_width();
  each_window(s_, batch, [&](int plane, int out, int first) {
    const float* in = x.data() + static_cast<std::size_t>(plane) * in_plane + first;
    float m = in[0];
    for (int i = 0; i < s_.filter; ++i)
      for (int j = 0; j < s_.filter; ++j) m = std::max(m, in[i * s_.width + j]);
    y[static_cast<std::size_t>(plane) * out_plane + out] = m;
  });
}

// dx = dy at the window's first maximum, 0 elsewhere (windows may overlap: gradients add)
void MaxPool2D::backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx, int batch) {
  if (!dx) return;
  const int in_plane = s_.height * s_.width, out_plane = s_.out_height() * s_.out_width();
  std::fill_n(dx->data(), static_cast<std::size_t>(batch) * s_.channels * in_plane, 0.0f);
  each_window(s_, batch, [&](int plane, int out, int first) {  // a plane's windows stay in its thread
    const std::size_t base = static_cast<std::size_t>(plane) * in_plane + first;
    const float m = y[static_cast<std::size_t>(plane) * out_plane + out];
    for (int i = 0; i < s_.filter; ++i)
      for (int j = 0; j < s_.filter; ++j)
        if (x[base + i * s_.width + j] == m) {
          (*dx)[base + i * s_.width + j] += dy[static_cast<std::size_t>(plane) * out_plane + out];
          return;
        }
  });
}

// y = mean over the window
void AvgPool2D::forward(const Tensor& x, Tensor& y, int batch) const {
  const int in_plane = s_.height * s_.width, out_plane = s_.out_height() * s_.out_width();
  const float scale = 1.0f / static_cast<float>(s_.filter * s_.filter);
  each_window(s_, batch, [&](int plane, int out, int first) {
    const float* in = x.data() + static_cast<std::size_t>(plane) * in_plane + first;
    float sum = 0.0f;
    for (int i = 0; i < s_.filter; ++i)
      for (int j = 0; j < s_.filter; ++j) sum += in[i * s_.width + j];
    y[static_cast<std::size_t>(plane) * out_plane + out] = sum * scale;
  });
}

// dx = dy / F^2 over each window
void AvgPool2D::backward(const Tensor&, const Tensor&, const Tensor& dy, Tensor* dx, int batch) {
  if (!dx) return;
  const int in_plane = s_.height * s_.width, out_plane = s_.out_height() * s_.out_width();
  const float scale = 1.0f / static_cast<float>(s_.filter * s_.filter);
  std::fill_n(dx->data(), static_cast<std::size_t>(batch) * s_.channels * in_plane, 0.0f);
  each_window(s_, batch, [&](int plane, int out, int first) {
    const float g = dy[static_cast<std::size_t>(plane) * out_plane + out] * scale;
    float* d = dx->data() + static_cast<std::size_t>(plane) * in_plane + first;
    for (int i = 0; i < s_.filter; ++i)
      for (int j = 0; j < s_.filter; ++j) d[i * s_.width + j] += g;
  });
}

}  // namespace netlens::nn
