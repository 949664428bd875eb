#include "nn/layers/conv2d.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "nn/layers/simd16.hpp"

namespace netlens::nn {

namespace {

// A direct convolution, vectorised along the output row: kLanes outputs of one row are one vector,
// and a tile of KB output channels by RB rows stays in registers while every tap is added.
// The small-channel layers of these networks (1 -> 8, 8 -> 16) are too thin for a matrix
// product to pay: im2col + sgemm per sample spent W5's time unfolding, folding and calling
// BLAS (docs/architecture.md "Convolutions").

// Vectors of the register width (16 floats with AVX-512, 8 with AVX2): see simd16::VN.
constexpr int kLanes = simd16::kNativeLanes;
using V = simd16::VN;
inline V load(const float* p) { return simd16::load<V>(p); }
using simd16::store;
inline V splat(float f) { return simd16::splat<V>(f); }

inline int round_up(int n, int to) { return (n + to - 1) / to * to; }

// One sample's input, zero-padded and split by column phase, so that each tap of a stride-S
// convolution reads the inputs of kLanes consecutive outputs as one load:
//   at(c, r, phase)[q] = x[c][r - P][q S + phase - P], zero outside the image; (C, rows, S, cols)
struct Packed {
  int channels, rows, phases, cols;
  std::size_t size() const { return static_cast<std::size_t>(channels) * rows * phases * cols; }
  std::size_t offset(int c, int r, int phase) const {
    return ((static_cast<std::size_t>(c) * rows + r) * phases + phase) * cols;
  }
};

// The packing of the layer's input: every output's vector and every tap stay inside.
Packed input_packing(const Conv2DShape& s) {
  const int S = s.stride;
  const int cols = std::max(round_up(s.out_width(), kLanes) + (s.filter - 1) / S, (s.width + 2 * s.padding + S - 1) / S);
  return {s.in_channels, s.height + 2 * s.padding, S, cols};
}

// xp = the packing of x (C, H, W); every element of xp is written.
void pack_input(const Conv2DShape& s, const Packed& p, const float* x, float* xp) {
  const int P = s.padding, S = s.stride, W = s.width;
  for (int c = 0; c < p.channels; ++c)
    for (int r = 0; r < p.rows; ++r) {
      const int iy = r - P;
      const bool inside = iy >= 0 && iy < s.height;
      // Formed only for a row of the image: a padding row's pointer would lie outside x.
      const float* in = inside ? x + (static_cast<std::size_t>(c) * s.height + iy) * W : nullptr;
      for (int phase = 0; phase < S; ++phase) {
        float* out = xp + p.offset(c, r, phase);
        if (!inside) {
          simd16::zero_row(out, p.cols);
        } else if (S == 1) {
          const int n = std::min(W, p.cols - P);
          simd16::zero_row(out, P);
          simd16::copy_row(out + P, in, n);
          simd16::zero_row(out + P + n, p.cols - P - n);
        } else {
          for (int q = 0; q < p.cols; ++q) {
            const int ix = q * S + phase - P;
            out[q] = ix >= 0 && ix < W ? in[ix] : 0.0f;
          }
        }
      }
    }
}

// The weight of output o, input channel c, tap (i, j): base[o os + c cs + i is + j js]. The
// strides let the input gradient run the same kernel with W transposed and flipped.
struct Weights {
  const float* base;
  long os, cs, is, js;
};

// One direct convolution over a packed input:
//   y[o][oy][ox] = bias[o] + sum_{c,i,j} w(o, c, i, j) xp(c, oy S + i, j % S)[ox + j / S]
//   xp packed (C, rows, S, cols), w as Weights, bias (O) or null, y (O, OH, OW)
struct DirectConv {
  const float* xp;
  Packed p;
  Weights w;
  const float* bias;
  int filter, stride, outputs, out_height, out_width;
  float* y;
};

// The tile of outputs o0..o0+KB, rows oy0..oy0+RB, columns ox0..ox0+kLanes (fewer at the row's end).
template <int KB, int RB>
void conv_tile(const DirectConv& d, int o0, int oy0, int ox0) {
  const int F = d.filter, S = d.stride, C = d.p.channels, rows = d.p.rows, cols = d.p.cols;
  const long os = d.w.os, cs = d.w.cs, is = d.w.is, js = d.w.js;
  const std::size_t row_step = static_cast<std::size_t>(S) * S * cols;  // one output row down
  V acc[KB][RB];
#pragma GCC unroll 8
  for (int kk = 0; kk < KB; ++kk) {
    const V b = splat(d.bias ? d.bias[o0 + kk] : 0.0f);
#pragma GCC unroll 4
    for (int r = 0; r < RB; ++r) acc[kk][r] = b;
  }
  for (int c = 0; c < C; ++c)
    for (int i = 0; i < F; ++i) {
      const float* row = d.xp + (static_cast<std::size_t>(c) * rows + oy0 * S + i) * S * cols + ox0;
      const float* wi = d.w.base + o0 * os + c * cs + i * is;
      for (int j = 0, phase = 0, q = 0; j < F; ++j) {  // tap j reads phase j % S from column j / S
        const float* src = row + phase * cols + q;
        V xv[RB];
#pragma GCC unroll 4
        for (int r = 0; r < RB; ++r) xv[r] = load(src + r * row_step);
        const float* wk = wi + j * js;
#pragma GCC unroll 8
        for (int kk = 0; kk < KB; ++kk) {
          const V wv = splat(wk[kk * os]);
#pragma GCC unroll 4
          for (int r = 0; r < RB; ++r) acc[kk][r] += wv * xv[r];
        }
        if (++phase == S) phase = 0, ++q;
      }
    }
  const int n = std::min(kLanes, d.out_width - ox0);
  const std::size_t plane = static_cast<std::size_t>(d.out_height) * d.out_width;
  for (int kk = 0; kk < KB; ++kk)
    for (int r = 0; r < RB; ++r)
      simd16::store_first(d.y + (o0 + kk) * plane + static_cast<std::size_t>(oy0 + r) * d.out_width + ox0, acc[kk][r], n);
}

// A tile of kTileOutputs x kTileRows accumulators, plus a row's inputs and a weight, fills the
// register file: 8 x 3 of AVX-512's 32 registers, 4 x 3 of AVX2's 16 (best in kernels_bench on
// Zen 3 among 4 x 3, 4 x 2 and 8 x 1; with 16-float vectors, two AVX registers each, GCC kept
// the accumulators on the stack and W5's convolutions ran 2.5 to 3 times slower).
constexpr int kTileOutputs = simd16::kRegisters >= 32 ? 8 : 4;
constexpr int kTileRows = 3;
using ConvTileFn = void (*)(const DirectConv&, int, int, int);

template <int RB, std::size_t... I>
constexpr std::array<ConvTileFn, sizeof...(I)> conv_tiles_of_rows(std::index_sequence<I...>) {
  return {&conv_tile<static_cast<int>(I) + 1, RB>...};
}
template <std::size_t... R>
constexpr std::array<std::array<ConvTileFn, kTileOutputs>, sizeof...(R)> conv_tiles(std::index_sequence<R...>) {
  return {conv_tiles_of_rows<static_cast<int>(R) + 1>(std::make_index_sequence<kTileOutputs>())...};
}
constexpr auto kConvTiles = conv_tiles(std::make_index_sequence<kTileRows>());

// y = the whole convolution, tile by tile.
void run(const DirectConv& d) {
  for (int oy0 = 0; oy0 < d.out_height; oy0 += kTileRows) {
    const int rows = std::min(kTileRows, d.out_height - oy0);
    for (int ox0 = 0; ox0 < d.out_width; ox0 += kLanes)
      for (int o0 = 0; o0 < d.outputs; o0 += kTileOutputs) {
        const int outs = std::min(kTileOutputs, d.outputs - o0);
        kConvTiles[static_cast<std::size_t>(rows - 1)][static_cast<std::size_t>(outs - 1)](d, o0, oy0, ox0);
      }
  }
}

// The weight gradient, still in lanes (the sum over lanes is taken once per batch):
//   dw[k][c][i][j] lanes += sum_{oy} dyp[k][oy][ox0..ox0+kLanes] xp(c, oy S + i, j % S)[ox0 + j / S ..]
//   dyp (K, OH, OWr) with zeros past OW, xp packed, dw (K, C, F, F) vectors of kLanes
struct WeightGrad {
  const float* dyp;
  const float* xp;
  Packed p;
  int filter, stride, out_height, out_width_r;  // out_width_r: OW rounded up to kLanes
  float* dw;
};

// Outputs k0..k0+KB, input channel c, filter row i, columns j0..j0+JB: KB x JB accumulators.
template <int KB, int JB>
void weight_tile(const WeightGrad& g, int k0, int c, int i, int j0) {
  const int F = g.filter, S = g.stride, C = g.p.channels;
  V acc[KB][JB];
  float* dst[KB];
#pragma GCC unroll 8
  for (int kk = 0; kk < KB; ++kk) {
    dst[kk] = g.dw + (((static_cast<std::size_t>(k0 + kk) * C + c) * F + i) * F + j0) * kLanes;
#pragma GCC unroll 4
    for (int jj = 0; jj < JB; ++jj) acc[kk][jj] = load(dst[kk] + jj * kLanes);
  }
  const std::size_t dy_plane = static_cast<std::size_t>(g.out_height) * g.out_width_r;
  int tap[JB];  // where tap j0 + jj starts in an input row: phase (j0 + jj) % S, column (j0 + jj) / S
#pragma GCC unroll 4
  for (int jj = 0; jj < JB; ++jj) tap[jj] = (j0 + jj) % S * g.p.cols + (j0 + jj) / S;
  for (int oy = 0; oy < g.out_height; ++oy) {
    const float* row = g.xp + g.p.offset(c, oy * S + i, 0);
    const float* src[JB];
#pragma GCC unroll 4
    for (int jj = 0; jj < JB; ++jj) src[jj] = row + tap[jj];
    const float* dy = g.dyp + k0 * dy_plane + static_cast<std::size_t>(oy) * g.out_width_r;
    for (int ox0 = 0; ox0 < g.out_width_r; ox0 += kLanes) {
      V xv[JB];
#pragma GCC unroll 4
      for (int jj = 0; jj < JB; ++jj) xv[jj] = load(src[jj] + ox0);
#pragma GCC unroll 8
      for (int kk = 0; kk < KB; ++kk) {
        const V d = load(dy + kk * dy_plane + ox0);
#pragma GCC unroll 4
        for (int jj = 0; jj < JB; ++jj) acc[kk][jj] += d * xv[jj];
      }
    }
  }
#pragma GCC unroll 8
  for (int kk = 0; kk < KB; ++kk)
#pragma GCC unroll 4
    for (int jj = 0; jj < JB; ++jj) store(dst[kk] + jj * kLanes, acc[kk][jj]);
}

// kGradOutputs x kGradColumns accumulators: 8 x 3 with AVX-512, 4 x 2 with AVX2 (4 x 2 and 4 x 3
// alike in kernels_bench, 8 x 1 slower for the 8 -> 16 layer).
constexpr int kGradOutputs = simd16::kRegisters >= 32 ? 8 : 4;
constexpr int kGradColumns = simd16::kRegisters >= 32 ? 3 : 2;
using WeightTileFn = void (*)(const WeightGrad&, int, int, int, int);

template <int JB, std::size_t... I>
constexpr std::array<WeightTileFn, sizeof...(I)> weight_tiles_of_columns(std::index_sequence<I...>) {
  return {&weight_tile<static_cast<int>(I) + 1, JB>...};
}
template <std::size_t... J>
constexpr std::array<std::array<WeightTileFn, kGradOutputs>, sizeof...(J)> weight_tiles(std::index_sequence<J...>) {
  return {weight_tiles_of_columns<static_cast<int>(J) + 1>(std::make_index_sequence<kGradOutputs>())...};
}
constexpr auto kWeightTiles = weight_tiles(std::make_index_sequence<kGradColumns>());

void run(const WeightGrad& g, int K) {
  const int F = g.filter;
  for (int k0 = 0; k0 < K; k0 += kGradOutputs) {
    const int outs = std::min(kGradOutputs, K - k0);
    for (int c = 0; c < g.p.channels; ++c)
      for (int i = 0; i < F; ++i)
        for (int j0 = 0; j0 < F; j0 += kGradColumns) {
          const int cols = std::min(kGradColumns, F - j0);
          kWeightTiles[static_cast<std::size_t>(cols - 1)][static_cast<std::size_t>(outs - 1)](g, k0, c, i, j0);
        }
  }
}

// Per-thread scratch, grown on first use only, so steady-state steps allocate nothing.
float* scratch(std::vector<float>& v, std::size_t n) {
  if (v.size() < n) v.resize(n);
  return v.data();
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

// y[n][k][oy][ox] = b[k] + sum_{c,i,j} W[k][c][i][j] x[n][c][oy S + i - P][ox S + j - P]
// x (B, C, H, W), y (B, K, OH, OW); the batch is split between the threads once.
void Conv2D::forward(const Tensor& x, Tensor& y, int batch) const {
  const std::size_t in_size = static_cast<std::size_t>(s_.in_channels) * s_.height * s_.width;
  const std::size_t out_size = static_cast<std::size_t>(s_.out_channels) * s_.out_height() * s_.out_width();
  const Packed p = input_packing(s_);
  const int F = s_.filter;
  const Weights w{w_.data(), static_cast<long>(s_.patch()), static_cast<long>(F) * F, F, 1};
  parallel::parallel_for(batch, 1, [&](std::size_t n0, std::size_t n1) {
    thread_local std::vector<float> packed;
    float* xp = scratch(packed, p.size());
    for (std::size_t n = n0; n < n1; ++n) {
      pack_input(s_, p, x.data() + n * in_size, xp);
      run(DirectConv{xp, p, w, b_.data(), F, s_.stride, s_.out_channels, s_.out_height(), s_.out_width(),
                     y.data() + n * out_size});
    }
  });
}

// dx[n][c][iy][ix] = sum_{k,i,j} W[k][c][i][j] dy[n][k][oy][ox] over oy S + i - P = iy, ox S + j - P = ix
// dy (B, K, OH, OW), dx (B, C, H, W). This is a stride-1 convolution of dy, dilated by S and
// padded by F - 1 - P, with W transposed (K <-> C) and flipped: the forward kernel runs it.
void Conv2D::backward_input(const Tensor&, const Tensor&, const Tensor& dy, Tensor& dx, int batch) const {
  const int K = s_.out_channels, C = s_.in_channels, F = s_.filter, S = s_.stride;
  const int H = s_.height, W = s_.width, OH = s_.out_height(), OW = s_.out_width();
  const int lead = F - 1 - s_.padding;  // where dy[0][0] sits in the dilated, padded dy
  const Packed p{K, H + F - 1, 1, std::max(round_up(W, kLanes) + F - 1, W + F - 1)};
  const std::size_t in_size = static_cast<std::size_t>(C) * H * W, out_size = static_cast<std::size_t>(K) * OH * OW;
  const long FF = static_cast<long>(F) * F;
  const Weights wt{w_.data() + FF - 1, FF, C * FF, -F, -1};
  parallel::parallel_for(batch, 1, [&](std::size_t n0, std::size_t n1) {
    thread_local std::vector<float> packed;
    float* dyd = scratch(packed, p.size());
    for (std::size_t n = n0; n < n1; ++n) {
      simd16::zero_row(dyd, static_cast<int>(p.size()));
      const float* g = dy.data() + n * out_size;
      for (int k = 0; k < K; ++k)
        for (int oy = 0; oy < OH; ++oy) {
          const int r = lead + oy * S;
          if (r < 0 || r >= p.rows) continue;
          float* row = dyd + p.offset(k, r, 0);
          const float* src = g + (static_cast<std::size_t>(k) * OH + oy) * OW;
          if (S == 1 && lead >= 0) {
            simd16::copy_row(row + lead, src, std::min(OW, p.cols - lead));
            continue;
          }
          for (int ox = 0; ox < OW; ++ox) {
            const int q = lead + ox * S;
            if (q >= 0 && q < p.cols) row[q] = src[ox];
          }
        }
      run(DirectConv{dyd, p, wt, nullptr, F, 1, C, H, W, dx.data() + n * in_size});
    }
  });
}

// dW[k][c][i][j] = sum_{n,oy,ox} dy[n][k][oy][ox] x[n][c][oy S + i - P][ox S + j - P];  db[k] = sum dy[n][k]
// The batch is cut into one chunk per thread; each chunk sums its own dW and db in kLanes lanes,
// added up after. Then dx (backward_input) when asked for.
void Conv2D::backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx, int batch) {
  const int K = s_.out_channels, OH = s_.out_height(), OW = s_.out_width(), OWr = round_up(OW, kLanes);
  const std::size_t in_size = static_cast<std::size_t>(s_.in_channels) * s_.height * s_.width;
  const std::size_t out_size = static_cast<std::size_t>(K) * OH * OW;
  const std::size_t weights = dw_.size();
  const std::size_t lanes = (weights + static_cast<std::size_t>(K)) * kLanes;  // dW then db, in lanes
  const Packed p = input_packing(s_);
  const int chunks = std::min(batch, parallel::threads());
  while (static_cast<int>(partial_.size()) < chunks) partial_.emplace_back(Shape{static_cast<int>(lanes)});  // first call only
  parallel::parallel_for(chunks, 1, [&](std::size_t c0, std::size_t c1) {
    thread_local std::vector<float> packed, padded_dy;
    float* xp = scratch(packed, p.size());
    float* dyp = scratch(padded_dy, static_cast<std::size_t>(K) * OH * OWr);
    for (std::size_t c = c0; c < c1; ++c) {
      float* part = partial_[c].data();
      std::fill_n(part, lanes, 0.0f);
      const int n0 = static_cast<int>(batch * c / chunks), n1 = static_cast<int>(batch * (c + 1) / chunks);
      for (int n = n0; n < n1; ++n) {
        const float* g = dy.data() + n * out_size;
        for (int k = 0; k < K; ++k)
          for (int oy = 0; oy < OH; ++oy) {
            float* row = dyp + (static_cast<std::size_t>(k) * OH + oy) * OWr;
            simd16::copy_row(row, g + (static_cast<std::size_t>(k) * OH + oy) * OW, OW);
            simd16::zero_row(row + OW, OWr - OW);
          }
        pack_input(s_, p, x.data() + n * in_size, xp);
        run(WeightGrad{dyp, xp, p, s_.filter, s_.stride, OH, OWr, part}, K);
        for (int k = 0; k < K; ++k) {
          V sum = load(part + (weights + static_cast<std::size_t>(k)) * kLanes);
          const float* rows = dyp + static_cast<std::size_t>(k) * OH * OWr;
          for (int i = 0; i < OH * OWr; i += kLanes) sum += load(rows + i);
          store(part + (weights + static_cast<std::size_t>(k)) * kLanes, sum);
        }
      }
    }
  });
  for (std::size_t i = 0; i < weights + static_cast<std::size_t>(K); ++i) {
    float sum = 0.0f;
    for (int c = 0; c < chunks; ++c)
      for (int l = 0; l < kLanes; ++l) sum += partial_[static_cast<std::size_t>(c)][i * kLanes + static_cast<std::size_t>(l)];
    if (i < weights)
      dw_[i] = sum;
    else
      db_[i - weights] = sum;
  }
  if (dx) backward_input(x, y, dy, *dx, batch);
}

std::vector<Param> Conv2D::params() { return {{&w_, &dw_, true}, {&b_, &db_, false}}; }

void Conv2D::init(Rng& rng) {
  const double stddev = std::sqrt(2.0 / s_.patch());
  for (auto& w : w_.values()) w = static_cast<float>(rng.normal(0.0, stddev));
  b_.fill(0.0f);
}

}  // namespace netlens::nn
