#include "probe/lurk/dream.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "nn/layers/activation.hpp"
#include "nn/layers/conv2d.hpp"
#include "nn/layers/dense.hpp"
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

// A first layer's maps say where the strokes are; deeper ones are already invariant to that.
int diversity_layer(const nn::Network& net) {
  int first_dense = -1;
  for (std::size_t l = 0; l < net.size(); ++l) {
    const bool conv = dynamic_cast<const nn::Conv2D*>(&net.layer(l)) != nullptr;
    if (!conv && !dynamic_cast<const nn::Dense*>(&net.layer(l))) continue;
    const bool activation_follows = l + 1 < net.size() && dynamic_cast<const nn::ActivationLayer*>(&net.layer(l + 1));
    const int scored = static_cast<int>(activation_follows ? l + 1 : l);
    if (conv) return scored;
    if (first_dense < 0) first_dense = scored;
  }
  return first_dense;
}

double seed_diversity(Backprop& bp, int layer, int count, float weight) {
  const std::size_t per = shape_size(bp.shape(layer));
  const float* a = bp.activation(layer).data();
  std::vector<double> norm(static_cast<std::size_t>(count));
  for (int n = 0; n < count; ++n) {
    double sq = 0;
    for (std::size_t k = 0; k < per; ++k) sq += static_cast<double>(a[n * per + k]) * a[n * per + k];
    norm[static_cast<std::size_t>(n)] = std::max(std::sqrt(sq), 1e-12);
  }
  double similarity = 0;
  float* seed = bp.seed(layer).data();
  std::fill_n(seed, per * static_cast<std::size_t>(count), 0.0f);
  for (int n = 0; n < count; ++n)
    for (int m = 0; m < count; ++m) {
      if (m == n) continue;
      const float *an = a + n * per, *am = a + m * per;
      const double nn = norm[static_cast<std::size_t>(n)], nm = norm[static_cast<std::size_t>(m)];
      double dot = 0;
      for (std::size_t k = 0; k < per; ++k) dot += static_cast<double>(an[k]) * am[k];
      const double cosine = dot / (nn * nm);
      similarity += cosine / count;
      // the ordered pairs (n, m) and (m, n) both hold cos(a_n, a_m): d/da_n of both
      for (std::size_t k = 0; k < per; ++k)
        seed[n * per + k] -= static_cast<float>(weight * 2 * (am[k] / (nn * nm) - cosine * an[k] / (nn * nn)) / count);
    }
  return similarity;
}

// theta_n <- theta_n + Adam(d/dtheta_n [a_u(t(x_n)) - tv TV(x_n) - l2 |x_n|^2] - diversity S),
// x_n = sigmoid(theta_n) or sigmoid(L theta_n), the `count` images of one batch.
std::vector<Dream> dreams(Backprop& bp, int layer, int unit, const DreamOptions& o) {
  if (o.count < 1 || o.count > bp.capacity())
    throw Error("dream", "count must be 1.." + std::to_string(bp.capacity()) + ", got " + std::to_string(o.count));
  const int l = pre_activation_layer(bp.network(), layer);
  const Shape& s = bp.shape(l);
  const int N = o.count;
  const int D = o.diversity > 0 && N > 1 ? diversity_layer(bp.network()) : -1;
  std::vector<Dream> out(static_cast<std::size_t>(N));
  Target target = s.size() == 3 ? unit_target(l, unit, s[1] / 2, s[2] / 2) : unit_target(l, unit);
  bp.check(target);
  const Box field = receptive_field(bp.network(), l, target.y, target.x);
  const Shape& in = bp.shape(-1);
  const int C = in[0], H = in[1], W = in[2];
  const std::size_t n = shape_size(in);
  Rng rng(o.seed);
  const FourierImage spectrum(C, H, W);
  const std::size_t params = o.fourier ? spectrum.parameters() : n;
  std::vector<std::vector<float>> theta(static_cast<std::size_t>(N), std::vector<float>(params)), x(theta.size(), std::vector<float>(n));
  for (auto& th : theta)
    for (float& t : th) t = static_cast<float>(rng.normal(0.0, 0.01));
  std::vector<Adam> adam(static_cast<std::size_t>(N), Adam(params));
  std::vector<float> pre(n), g_in(n), g_x(n), g_tv(n), g_pre(n), g_theta(params), g_diverse(D >= 0 ? n * static_cast<std::size_t>(N) : 0);
  for (int step = 0; step <= o.steps; ++step) {
    for (int k = 0; k < N; ++k) {
      if (o.fourier)
        spectrum.image(theta[static_cast<std::size_t>(k)].data(), pre.data());
      else
        std::copy(theta[static_cast<std::size_t>(k)].begin(), theta[static_cast<std::size_t>(k)].end(), pre.begin());
      for (std::size_t i = 0; i < n; ++i) x[static_cast<std::size_t>(k)][i] = sigmoid(pre[i]);
    }
    if (step % 32 == 0 || step == o.steps) {  // the objective without transforms
      for (int k = 0; k < N; ++k) std::copy(x[static_cast<std::size_t>(k)].begin(), x[static_cast<std::size_t>(k)].end(), bp.input().data() + static_cast<std::size_t>(k) * n);
      bp.forward(N);
      for (int k = 0; k < N; ++k) out[static_cast<std::size_t>(k)].snapshots.push_back(bp.value(target, k));
    }
    if (step == o.steps) break;
    std::vector<Warp> warps(static_cast<std::size_t>(N));
    for (Warp& w : warps)
      if (o.transforms) {
        w.dy = static_cast<float>(rng.uniform(-o.jitter, o.jitter));
        w.dx = static_cast<float>(rng.uniform(-o.jitter, o.jitter));
        w.scale = static_cast<float>(rng.uniform(1 - o.scale, 1 + o.scale));
        w.radians = static_cast<float>(rng.uniform(-o.rotate_degrees, o.rotate_degrees) * std::numbers::pi / 180);
      }
    for (int k = 0; k < N; ++k)
      warps[static_cast<std::size_t>(k)].apply(x[static_cast<std::size_t>(k)].data(), bp.input().data() + static_cast<std::size_t>(k) * n, C, H, W);
    bp.forward(N);
    if (D >= 0) {
      seed_diversity(bp, D, N, 1.0f);
      const Tensor& g = bp.backward_from(D, Rule::Normal, N);
      std::copy_n(g.data(), g_diverse.size(), g_diverse.data());
    }
    const Tensor& g = bp.backward(target, Rule::Normal, N);
    for (int k = 0; k < N; ++k) {
      const auto kk = static_cast<std::size_t>(k);
      std::copy_n(g.data() + kk * n, n, g_in.data());
      if (D >= 0) {  // the diversity gradient scaled to `diversity` times the unit's, image by image
        double unit_norm = 0, diverse_norm = 0;
        for (std::size_t i = 0; i < n; ++i) {
          unit_norm += static_cast<double>(g_in[i]) * g_in[i];
          diverse_norm += static_cast<double>(g_diverse[kk * n + i]) * g_diverse[kk * n + i];
        }
        const double scale = diverse_norm > 0 ? o.diversity * std::sqrt(unit_norm / diverse_norm) : 0.0;
        for (std::size_t i = 0; i < n; ++i) g_in[i] += static_cast<float>(scale * g_diverse[kk * n + i]);
      }
      warps[kk].adjoint(g_in.data(), g_x.data(), C, H, W);
      std::fill(g_tv.begin(), g_tv.end(), 0.0f);
      const std::vector<float>& xk = x[kk];
      total_variation(xk.data(), C, H, W, g_tv.data());
      for (std::size_t i = 0; i < n; ++i) {
        const float gx = g_x[i] - o.tv * g_tv[i] - 2 * o.l2 * xk[i];
        g_pre[i] = gx * xk[i] * (1 - xk[i]);  // d sigmoid
      }
      if (o.fourier)
        spectrum.adjoint(g_pre.data(), g_theta.data());
      else
        std::copy(g_pre.begin(), g_pre.end(), g_theta.begin());
      adam[kk].step(theta[kk], g_theta, o.learning_rate);
    }
  }
  for (int k = 0; k < N; ++k) {
    Dream& d = out[static_cast<std::size_t>(k)];
    d.target = target;
    d.field = field;
    d.image = x[static_cast<std::size_t>(k)];
    d.initial_value = d.snapshots.front();
    d.value = d.snapshots.back();
    double mean = 0, sq = 0;
    for (float v : d.image) mean += v;
    mean /= static_cast<double>(n);
    for (float v : d.image) sq += (v - mean) * (v - mean);
    d.stddev = static_cast<float>(std::sqrt(sq / static_cast<double>(n)));
    d.flat = d.stddev < 1e-3f || d.value <= d.initial_value;
  }
  return out;
}

Dream dream(Backprop& bp, int layer, int unit, const DreamOptions& o) {
  DreamOptions one = o;
  one.count = 1;
  return dreams(bp, layer, unit, one).front();
}

}  // namespace netlens::probe::lurk
