#include "nn/layers/conv2d.hpp"

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/error.hpp"
#include "core/parallel.hpp"

namespace netlens::nn {

namespace {

// The outputs ox whose input column ox * S + j - P lies inside the image: [lo, hi).
std::pair<int, int> inside_columns(const Conv2DShape& s, int j) {
  const int ow = s.out_width();
  int lo = 0, hi = ow;
  while (lo < ow && lo * s.stride + j - s.padding < 0) ++lo;
  while (hi > lo && (hi - 1) * s.stride + j - s.padding >= s.width) --hi;
  return {lo, hi};
}

// cols[(c, i, j)][(oy, ox)] = x[c][oy * S + i - P][ox * S + j - P], zero outside the image.
void im2col(const Conv2DShape& s, const float* x, float* cols) {
  const int oh = s.out_height(), ow = s.out_width();
  for (int c = 0; c < s.in_channels; ++c)
    for (int i = 0; i < s.filter; ++i)
      for (int j = 0; j < s.filter; ++j) {
        float* row = cols + static_cast<std::size_t>((c * s.filter + i) * s.filter + j) * oh * ow;
        const auto [lo, hi] = inside_columns(s, j);
        for (int oy = 0; oy < oh; ++oy) {
          float* out = row + oy * ow;
          const int iy = oy * s.stride + i - s.padding;
          if (iy < 0 || iy >= s.height) {
            std::fill_n(out, ow, 0.0f);
            continue;
          }
          const float* in = x + (c * s.height + iy) * s.width + j - s.padding;
          std::fill_n(out, lo, 0.0f);
          if (s.stride == 1)
            std::copy(in + lo, in + hi, out + lo);
          else
            for (int ox = lo; ox < hi; ++ox) out[ox] = in[ox * s.stride];
          std::fill_n(out + hi, ow - hi, 0.0f);
        }
      }
}

// The adjoint of im2col: dx[c][iy][ix] += dcols at every place im2col read it from.
void col2im(const Conv2DShape& s, const float* dcols, float* dx) {
  const int oh = s.out_height(), ow = s.out_width();
  std::fill_n(dx, static_cast<std::size_t>(s.in_channels) * s.height * s.width, 0.0f);
  for (int c = 0; c < s.in_channels; ++c)
    for (int i = 0; i < s.filter; ++i)
      for (int j = 0; j < s.filter; ++j) {
        const float* row = dcols + static_cast<std::size_t>((c * s.filter + i) * s.filter + j) * oh * ow;
        const auto [lo, hi] = inside_columns(s, j);
        for (int oy = 0; oy < oh; ++oy) {
          const int iy = oy * s.stride + i - s.padding;
          if (iy < 0 || iy >= s.height) continue;
          float* d = dx + (c * s.height + iy) * s.width + j - s.padding;
          for (int ox = lo; ox < hi; ++ox) d[ox * s.stride] += row[oy * ow + ox];
        }
      }
}

// The sum of n floats in 8 lanes, so the loop vectorises without reordering one long chain.
float row_sum(const float* __restrict v, int n) {
  float lanes[8] = {};
  int i = 0;
  for (; i + 8 <= n; i += 8)
    for (int j = 0; j < 8; ++j) lanes[j] += v[i + j];
  float sum = 0.0f;
  for (; i < n; ++i) sum += v[i];
  for (float l : lanes) sum += l;
  return sum;
}

// Per-thread scratch for one sample's cols, grown on first use only.
std::vector<float>& scratch(std::size_t n) {
  thread_local std::vector<float> cols;
  if (cols.size() < n) cols.resize(n);
  return cols;
}

}  // namespace

Conv2D::Conv2D(const Conv2DShape& shape)
    : s_(shape),
      w_({shape.out_channels, shape.patch()}),
      b_({shape.out_channels}),
      dw_({shape.out_channels, shape.patch()}),
      db_({shape.out_channels}) {
  if (s_.in_channels < 1 || s_.out_channels < 1 || s_.filter < 1 || s_.stride < 1 || s_.padding < 0)
    throw Error(name(), "channels, filter and stride must be positive, padding not negative");
  if (s_.height + 2 * s_.padding < s_.filter || s_.width + 2 * s_.padding < s_.filter)
    throw Error(name(), std::to_string(s_.height) + "x" + std::to_string(s_.width) + " input (padding " +
                            std::to_string(s_.padding) + ") is smaller than the " + std::to_string(s_.filter) + "x" +
                            std::to_string(s_.filter) + " filter");
}

std::string Conv2D::name() const {
  return "Conv2D(" + std::to_string(s_.in_channels) + " -> " + std::to_string(s_.out_channels) + ", " +
         std::to_string(s_.filter) + "x" + std::to_string(s_.filter) + ")";
}

Shape Conv2D::output_shape(const Shape& input) const {
  if (input != Shape{s_.in_channels, s_.height, s_.width})
    throw Error(name(), "expects input shape " + shape_string({s_.in_channels, s_.height, s_.width}) + ", got " +
                            shape_string(input));
  return {s_.out_channels, s_.out_height(), s_.out_width()};
}

// y[n] = W im2col(x[n]) + b, one sample per task
void Conv2D::forward(const Tensor& x, Tensor& y, int batch) const {
  const int K = s_.out_channels, P = s_.patch(), pixels = s_.out_height() * s_.out_width();
  const std::size_t in_size = static_cast<std::size_t>(s_.in_channels) * s_.height * s_.width;
  const std::size_t out_size = static_cast<std::size_t>(K) * pixels;
  parallel::parallel_for(batch, 1, [&](std::size_t n0, std::size_t n1) {
    std::vector<float>& cols = scratch(static_cast<std::size_t>(P) * pixels);
    for (std::size_t n = n0; n < n1; ++n) {
      im2col(s_, x.data() + n * in_size, cols.data());
      float* yn = y.data() + n * out_size;
      for (int k = 0; k < K; ++k) std::fill_n(yn + static_cast<std::size_t>(k) * pixels, pixels, b_[k]);
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, K, pixels, P, 1.0f, w_.data(), P, cols.data(), pixels,
                  1.0f, yn, pixels);
    }
  });
}

// dW = sum_n dy[n] cols[n]^T;  db[k] = sum dy[n][k];  dx[n] = col2im(W^T dy[n])
// The batch is cut into one chunk per thread; each chunk sums its own dW and db, added up after.
void Conv2D::backward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor* dx, int batch) {
  const int K = s_.out_channels, P = s_.patch(), pixels = s_.out_height() * s_.out_width();
  const std::size_t in_size = static_cast<std::size_t>(s_.in_channels) * s_.height * s_.width;
  const std::size_t out_size = static_cast<std::size_t>(K) * pixels;
  const int chunks = std::min(batch, parallel::threads());
  while (static_cast<int>(partial_.size()) < chunks) partial_.emplace_back(Shape{K * P + K});  // first call only
  parallel::parallel_for(chunks, 1, [&](std::size_t c0, std::size_t c1) {
    std::vector<float>& cols = scratch(static_cast<std::size_t>(P) * pixels);
    thread_local std::vector<float> dcols;
    if (dcols.size() < cols.size()) dcols.resize(cols.size());
    for (std::size_t c = c0; c < c1; ++c) {
      float* dw = partial_[c].data();
      float* db = dw + static_cast<std::size_t>(K) * P;
      std::fill_n(db, K, 0.0f);
      const int n0 = static_cast<int>(batch * c / chunks), n1 = static_cast<int>(batch * (c + 1) / chunks);
      for (int n = n0; n < n1; ++n) {
        const float* dyn = dy.data() + n * out_size;
        im2col(s_, x.data() + n * in_size, cols.data());
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, K, P, pixels, 1.0f, dyn, pixels, cols.data(), pixels,
                    n == n0 ? 0.0f : 1.0f, dw, P);
        for (int k = 0; k < K; ++k) db[k] += row_sum(dyn + static_cast<std::size_t>(k) * pixels, pixels);
        if (dx) sample_input_gradient(dyn, dcols.data(), dx->data() + n * in_size);
      }
    }
  });
  std::copy_n(partial_[0].data(), dw_.size(), dw_.data());
  std::copy_n(partial_[0].data() + dw_.size(), K, db_.data());
  for (int c = 1; c < chunks; ++c) {
    const float* part = partial_[static_cast<std::size_t>(c)].data();
    for (std::size_t i = 0; i < dw_.size(); ++i) dw_[i] += part[i];
    for (int k = 0; k < K; ++k) db_[k] += part[dw_.size() + static_cast<std::size_t>(k)];
  }
}

// dcols = W^T dy (C F F, H' W');  dx = col2im(dcols) (C, H, W): one sample
void Conv2D::sample_input_gradient(const float* dy, float* dcols, float* dx) const {
  const int K = s_.out_channels, P = s_.patch(), pixels = s_.out_height() * s_.out_width();
  cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, P, pixels, K, 1.0f, w_.data(), P, dy, pixels, 0.0f, dcols,
              pixels);
  col2im(s_, dcols, dx);
}

// dx[n] = col2im(W^T dy[n]), one sample per task, no parameter gradient
void Conv2D::backward_input(const Tensor&, const Tensor&, const Tensor& dy, Tensor& dx, int batch) const {
  const std::size_t in_size = static_cast<std::size_t>(s_.in_channels) * s_.height * s_.width;
  const std::size_t out_size = static_cast<std::size_t>(s_.out_channels) * s_.out_height() * s_.out_width();
  parallel::parallel_for(batch, 1, [&](std::size_t n0, std::size_t n1) {
    std::vector<float>& dcols = scratch(static_cast<std::size_t>(s_.patch()) * s_.out_height() * s_.out_width());
    for (std::size_t n = n0; n < n1; ++n) sample_input_gradient(dy.data() + n * out_size, dcols.data(), dx.data() + n * in_size);
  });
}

std::vector<Param> Conv2D::params() { return {{&w_, &dw_, true}, {&b_, &db_, false}}; }

void Conv2D::init(Rng& rng) {
  const double stddev = std::sqrt(2.0 / s_.patch());
  for (auto& w : w_.values()) w = static_cast<float>(rng.normal(0.0, stddev));
  b_.fill(0.0f);
}

}  // namespace netlens::nn
