#include "probe/lurk/dream.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "nn/layers/activation.hpp"
#include "probe/lurk/fourier.hpp"

namespace netlens::probe::lurk {

namespace {

// For each output pixel p: its source point q = R^-1 (p - c) / s + c - shift and q's four
// neighbours with bilinear weights; visit(out index, in index, weight).
template <class Visit>
void each_tap(const Warp& w, int H, int W, Visit&& visit) {
  const float cy = (static_cast<float>(H) - 1) / 2, cx = (static_cast<float>(W) - 1) / 2;
  const float c = std::cos(w.radians) / w.scale, s = std::sin(w.radians) / w.scale;
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W; ++x) {
      const float py = static_cast<float>(y) - cy - w.dy, px = static_cast<float>(x) - cx - w.dx;
      const float qy = c * py + s * px + cy, qx = -s * py + c * px + cx;
      const int y0 = static_cast<int>(std::floor(qy)), x0 = static_cast<int>(std::floor(qx));
      const float ty = qy - static_cast<float>(y0), tx = qx - static_cast<float>(x0);
      const float weights[4] = {(1 - ty) * (1 - tx), (1 - ty) * tx, ty * (1 - tx), ty * tx};
      const int ys[4] = {y0, y0, y0 + 1, y0 + 1}, xs[4] = {x0, x0 + 1, x0, x0 + 1};
      for (int k = 0; k < 4; ++k)
        if (ys[k] >= 0 && ys[k] < H && xs[k] >= 0 && xs[k] < W) visit(y * W + x, ys[k] * W + xs[k], weights[k]);
    }
}

struct Adam {  // ascent: theta += lr m^ / (sqrt(v^) + eps)
  std::vector<float> m, v;
  int t = 0;
  explicit Adam(std::size_t n) : m(n, 0.0f), v(n, 0.0f) {}
  void step(std::vector<float>& theta, const std::vector<float>& g, float lr) {
    ++t;
    const float b1 = 0.9f, b2 = 0.999f, c1 = 1 - std::pow(b1, static_cast<float>(t)), c2 = 1 - std::pow(b2, static_cast<float>(t));
    for (std::size_t i = 0; i < theta.size(); ++i) {
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
      theta[i] += lr * (m[i] / c1) / (std::sqrt(v[i] / c2) + 1e-8f);
    }
  }
};

float sigmoid(float t) { return 1.0f / (1.0f + std::exp(-t)); }

float objective(Backprop& bp, const std::vector<float>& x, const Target& t) {
  std::copy(x.begin(), x.end(), bp.input().data());
  bp.forward(1);
  return bp.value(t, 0);
}

}  // namespace

void Warp::apply(const float* in, float* out, int C, int H, int W) const {
  const std::size_t plane = static_cast<std::size_t>(H) * W;
  std::fill_n(out, plane * static_cast<std::size_t>(C), 0.0f);
  for (int ch = 0; ch < C; ++ch)
    each_tap(*this, H, W, [&](int o, int i, float w) { out[ch * plane + static_cast<std::size_t>(o)] += w * in[ch * plane + static_cast<std::size_t>(i)]; });
}

void Warp::adjoint(const float* g_out, float* g_in, int C, int H, int W) const {
  const std::size_t plane = static_cast<std::size_t>(H) * W;
  std::fill_n(g_in, plane * static_cast<std::size_t>(C), 0.0f);
  for (int ch = 0; ch < C; ++ch)
    each_tap(*this, H, W, [&](int o, int i, float w) { g_in[ch * plane + static_cast<std::size_t>(i)] += w * g_out[ch * plane + static_cast<std::size_t>(o)]; });
}

double total_variation(const float* x, int C, int H, int W, float* grad) {
  double tv = 0;
  for (int c = 0; c < C; ++c)
    for (int y = 0; y < H; ++y)
      for (int xx = 0; xx < W; ++xx) {
        const int i = (c * H + y) * W + xx;
        for (const int j : {y + 1 < H ? i + W : -1, xx + 1 < W ? i + 1 : -1}) {
          if (j < 0) continue;
          const float d = x[j] - x[i];  // (x_j - x_i)^2
          tv += static_cast<double>(d) * d;
          if (grad) {
            grad[j] += 2 * d;
            grad[i] -= 2 * d;
          }
        }
      }
  return tv;
}

int pre_activation_layer(const nn::Network& network, int layer) {
  check_layer(network, layer);
  if (layer > 0 && dynamic_cast<const nn::ActivationLayer*>(&network.layer(static_cast<std::size_t>(layer)))) return layer - 1;
  return layer;
}

// theta <- theta + Adam(d/dtheta [a_u(t(x)) - tv TV(x) - l2 |x|^2]),  x = sigmoid(theta) or sigmoid(L theta)
Dream dream(Backprop& bp, int layer, int unit, const DreamOptions& o) {
  const int l = pre_activation_layer(bp.network(), layer);
  const Shape& s = bp.shape(l);
  Dream d;
  d.target = s.size() == 3 ? unit_target(l, unit, s[1] / 2, s[2] / 2) : unit_target(l, unit);
  bp.check(d.target);
  d.field = receptive_field(bp.network(), l, d.target.y, d.target.x);
  const Shape& in = bp.shape(-1);
  const int C = in[0], H = in[1], W = in[2];
  const std::size_t n = shape_size(in);
  Rng rng(o.seed);
  const FourierImage spectrum(C, H, W);
  const std::size_t params = o.fourier ? spectrum.parameters() : n;
  std::vector<float> theta(params), pre(n), x(n), g_x(n), g_tv(n), g_pre(n), g_theta(params);
  for (float& t : theta) t = static_cast<float>(rng.normal(0.0, 0.01));
  Adam adam(params);
  for (int step = 0; step <= o.steps; ++step) {
    if (o.fourier)
      spectrum.image(theta.data(), pre.data());
    else
      std::copy(theta.begin(), theta.end(), pre.begin());
    for (std::size_t i = 0; i < n; ++i) x[i] = sigmoid(pre[i]);
    if (step % 32 == 0 || step == o.steps) d.snapshots.push_back(objective(bp, x, d.target));
    if (step == o.steps) break;
    Warp w;
    if (o.transforms) {
      w.dy = static_cast<float>(rng.uniform(-o.jitter, o.jitter));
      w.dx = static_cast<float>(rng.uniform(-o.jitter, o.jitter));
      w.scale = static_cast<float>(rng.uniform(1 - o.scale, 1 + o.scale));
      w.radians = static_cast<float>(rng.uniform(-o.rotate_degrees, o.rotate_degrees) * std::numbers::pi / 180);
    }
    w.apply(x.data(), bp.input().data(), C, H, W);
    bp.forward(1);
    const Tensor& g = bp.backward(d.target, Rule::Normal, 1);
    w.adjoint(g.data(), g_x.data(), C, H, W);
    std::fill(g_tv.begin(), g_tv.end(), 0.0f);
    total_variation(x.data(), C, H, W, g_tv.data());
    for (std::size_t i = 0; i < n; ++i) {
      const float gx = g_x[i] - o.tv * g_tv[i] - 2 * o.l2 * x[i];
      g_pre[i] = gx * x[i] * (1 - x[i]);  // d sigmoid
    }
    if (o.fourier)
      spectrum.adjoint(g_pre.data(), g_theta.data());
    else
      std::copy(g_pre.begin(), g_pre.end(), g_theta.begin());
    adam.step(theta, g_theta, o.learning_rate);
  }
  d.image = x;
  d.initial_value = d.snapshots.front();
  d.value = d.snapshots.back();
  double mean = 0, sq = 0;
  for (float v : x) mean += v;
  mean /= static_cast<double>(n);
  for (float v : x) sq += (v - mean) * (v - mean);
  d.stddev = static_cast<float>(std::sqrt(sq / static_cast<double>(n)));
  d.flat = d.stddev < 1e-3f || d.value <= d.initial_value;
  return d;
}

}  // namespace netlens::probe::lurk
