#include "probe/lurk/fourier.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace netlens::probe::lurk {

FourierImage::FourierImage(int channels, int height, int width)
    : c_(channels), h_(height), w_(width), scale_(static_cast<std::size_t>(height) * width),
      cos_y_(static_cast<std::size_t>(height) * height), sin_y_(cos_y_.size()),
      cos_x_(static_cast<std::size_t>(width) * width), sin_x_(cos_x_.size()) {
  const double floor = 1.0 / std::max(height, width);
  for (int fy = 0; fy < h_; ++fy)
    for (int fx = 0; fx < w_; ++fx) {
      const double u = static_cast<double>(std::min(fy, h_ - fy)) / h_, v = static_cast<double>(std::min(fx, w_ - fx)) / w_;
      scale_[static_cast<std::size_t>(fy * w_ + fx)] = static_cast<float>(1.0 / std::max(std::sqrt(u * u + v * v), floor));
    }
  for (int f = 0; f < h_; ++f)
    for (int y = 0; y < h_; ++y) {
      const double phi = 2 * std::numbers::pi * f * y / h_;
      cos_y_[static_cast<std::size_t>(f * h_ + y)] = static_cast<float>(std::cos(phi));
      sin_y_[static_cast<std::size_t>(f * h_ + y)] = static_cast<float>(std::sin(phi));
    }
  for (int f = 0; f < w_; ++f)
    for (int x = 0; x < w_; ++x) {
      const double phi = 2 * std::numbers::pi * f * x / w_;
      cos_x_[static_cast<std::size_t>(f * w_ + x)] = static_cast<float>(std::cos(phi));
      sin_x_[static_cast<std::size_t>(f * w_ + x)] = static_cast<float>(std::sin(phi));
    }
}

// x_yx = (1/sqrt(HW)) sum_f s_f (a_f cos phi - b_f sin phi), cos phi = cy cx - sy sx, sin phi = sy cx + cy sx
void FourierImage::image(const float* theta, float* x) const {
  const std::size_t n = static_cast<std::size_t>(h_) * w_;
  const float norm = 1.0f / std::sqrt(static_cast<float>(n));
  for (int c = 0; c < c_; ++c) {
    const float* a = theta + 2 * c * n;
    const float* b = a + n;
    float* out = x + c * n;
    for (int y = 0; y < h_; ++y)
      for (int xx = 0; xx < w_; ++xx) {
        double sum = 0;
        for (int fy = 0; fy < h_; ++fy) {
          const float cy = cos_y_[static_cast<std::size_t>(fy * h_ + y)], sy = sin_y_[static_cast<std::size_t>(fy * h_ + y)];
          for (int fx = 0; fx < w_; ++fx) {
            const std::size_t f = static_cast<std::size_t>(fy * w_ + fx);
            const float cx = cos_x_[static_cast<std::size_t>(fx * w_ + xx)], sx = sin_x_[static_cast<std::size_t>(fx * w_ + xx)];
            sum += scale_[f] * (a[f] * (cy * cx - sy * sx) - b[f] * (sy * cx + cy * sx));
          }
        }
        out[y * w_ + xx] = static_cast<float>(sum) * norm;
      }
  }
}

// a_f = (s_f / sqrt(HW)) sum_yx g_yx cos phi;  b_f = -(s_f / sqrt(HW)) sum_yx g_yx sin phi
void FourierImage::adjoint(const float* g_x, float* g_theta) const {
  const std::size_t n = static_cast<std::size_t>(h_) * w_;
  const float norm = 1.0f / std::sqrt(static_cast<float>(n));
  for (int c = 0; c < c_; ++c) {
    const float* g = g_x + c * n;
    float* a = g_theta + 2 * c * n;
    float* b = a + n;
    for (int fy = 0; fy < h_; ++fy)
      for (int fx = 0; fx < w_; ++fx) {
        double ca = 0, cb = 0;
        for (int y = 0; y < h_; ++y) {
          const float cy = cos_y_[static_cast<std::size_t>(fy * h_ + y)], sy = sin_y_[static_cast<std::size_t>(fy * h_ + y)];
          for (int xx = 0; xx < w_; ++xx) {
            const float cx = cos_x_[static_cast<std::size_t>(fx * w_ + xx)], sx = sin_x_[static_cast<std::size_t>(fx * w_ + xx)];
            const float v = g[y * w_ + xx];
            ca += v * (cy * cx - sy * sx);
            cb -= v * (sy * cx + cy * sx);
          }
        }
        const std::size_t f = static_cast<std::size_t>(fy * w_ + fx);
        a[f] = static_cast<float>(ca) * scale_[f] * norm;
        b[f] = static_cast<float>(cb) * scale_[f] * norm;
      }
  }
}

}  // namespace netlens::probe::lurk
