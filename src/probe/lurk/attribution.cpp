#include "probe/lurk/attribution.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/names.hpp"
#include "core/rng.hpp"
#include "probe/lurk/cam.hpp"

namespace netlens::probe::lurk {

namespace {

constexpr NameTable<Method, 11> kMethods{{
    {Method::Gradient, "gradient"},
    {Method::GradientTimesInput, "gradient_x_input"},
    {Method::GuidedBackprop, "guided_backprop"},
    {Method::Deconvnet, "deconvnet"},
    {Method::GradCam, "grad_cam"},
    {Method::GuidedGradCam, "guided_grad_cam"},
    {Method::LayerCam, "layer_cam"},
    {Method::ScoreCam, "score_cam"},
    {Method::SmoothGrad, "smoothgrad"},
    {Method::IntegratedGradients, "integrated_gradients"},
    {Method::Occlusion, "occlusion"},
}};

constexpr NameTable<Baseline, 3> kBaselines{{
    {Baseline::Black, "black"},
    {Baseline::Blurred, "blurred"},
    {Baseline::Mean, "mean"},
}};

// Rows b of the input (chunk of up to capacity variants) are filled by fill(b, row).
template <class Fill>
void fill_rows(Backprop& bp, int batch, Fill&& fill) {
  const std::size_t n = shape_size(bp.shape(-1));
  for (int b = 0; b < batch; ++b) fill(b, bp.input().data() + static_cast<std::size_t>(b) * n);
}

// sum over the batch of dy_c/dx, added into sum
void add_gradients(Backprop& bp, const Target& t, Rule rule, int batch, std::vector<double>& sum) {
  bp.forward(batch);
  const Tensor& dx = bp.backward(t, rule, batch);
  const std::size_t n = sum.size();
  for (int b = 0; b < batch; ++b)
    for (std::size_t i = 0; i < n; ++i) sum[i] += dx[static_cast<std::size_t>(b) * n + i];
}

std::vector<float> single_gradient(Backprop& bp, const std::vector<float>& image, const Target& t, Rule rule) {
  std::copy(image.begin(), image.end(), bp.input().data());
  bp.forward(1);
  const Tensor& dx = bp.backward(t, rule, 1);
  return {dx.data(), dx.data() + image.size()};
}

// SG = (1/n) sum_i dy_c/dx (x + e_i), e_i ~ N(0, sigma^2), sigma = level (max x - min x)
std::vector<float> smoothgrad(Backprop& bp, const std::vector<float>& image, const Target& t, const AttributionOptions& o) {
  if (o.samples < 1) throw Error("smoothgrad", "samples must be at least 1, got " + std::to_string(o.samples));
  const auto [lo, hi] = std::minmax_element(image.begin(), image.end());
  const double range = *hi > *lo ? *hi - *lo : 1.0;  // a blank image: the data's [0, 1]
  const double sigma = o.noise_level * range;
  Rng rng(o.seed);
  std::vector<double> sum(image.size(), 0.0);
  for (int done = 0; done < o.samples; done += bp.capacity()) {
    const int batch = std::min(bp.capacity(), o.samples - done);
    fill_rows(bp, batch, [&](int, float* x) {
      for (std::size_t i = 0; i < image.size(); ++i) x[i] = image[i] + static_cast<float>(rng.normal(0.0, sigma));
    });
    add_gradients(bp, t, Rule::Normal, batch, sum);
  }
  std::vector<float> map(image.size());
  for (std::size_t i = 0; i < map.size(); ++i) map[i] = static_cast<float>(sum[i] / o.samples);
  return map;
}

// A separable Gaussian blur of each channel (sigma in pixels, edges clamped).
std::vector<float> blurred(const std::vector<float>& image, const Shape& s, float sigma) {
  const int C = s[0], H = s[1], W = s[2], r = std::max(1, static_cast<int>(std::ceil(3 * sigma)));
  std::vector<float> k(static_cast<std::size_t>(2 * r + 1));
  float total = 0;
  for (int i = -r; i <= r; ++i) total += k[static_cast<std::size_t>(i + r)] = std::exp(-0.5f * static_cast<float>(i * i) / (sigma * sigma));
  for (float& v : k) v /= total;
  std::vector<float> tmp(image.size()), out(image.size());
  for (int c = 0; c < C; ++c)
    for (int y = 0; y < H; ++y)
      for (int x = 0; x < W; ++x) {
        float a = 0;
        for (int i = -r; i <= r; ++i) a += k[static_cast<std::size_t>(i + r)] * image[static_cast<std::size_t>((c * H + y) * W + std::clamp(x + i, 0, W - 1))];
        tmp[static_cast<std::size_t>((c * H + y) * W + x)] = a;
      }
  for (int c = 0; c < C; ++c)
    for (int y = 0; y < H; ++y)
      for (int x = 0; x < W; ++x) {
        float a = 0;
        for (int i = -r; i <= r; ++i) a += k[static_cast<std::size_t>(i + r)] * tmp[static_cast<std::size_t>((c * H + std::clamp(y + i, 0, H - 1)) * W + x)];
        out[static_cast<std::size_t>((c * H + y) * W + x)] = a;
      }
  return out;
}

std::vector<float> baseline_image(const std::vector<float>& image, const Shape& s, const AttributionOptions& o) {
  switch (o.baseline) {
    case Baseline::Black:
      return std::vector<float>(image.size(), 0.0f);
    case Baseline::Blurred:
      return blurred(image, s, o.blur_sigma);
    case Baseline::Mean:
      if (o.mean_image.size() != image.size())
        throw Error("integrated_gradients", "the mean baseline needs the data set's mean image");
      return o.mean_image;
  }
  return {};
}

float output_at(Backprop& bp, const std::vector<float>& x, const Target& t) {
  std::copy(x.begin(), x.end(), bp.input().data());
  bp.forward(1);
  return bp.value(t, 0);
}

// IG_i = (x_i - x'_i) (1/m) sum_{s<m} dy_c/dx_i (x' + (s + 1/2)/m (x - x')), the midpoint rule.
// Each ReLU the path crosses costs the rule up to a step of error (Gauss-Legendre, Captum's
// choice, measured worse on ReLU nets: up to 11 % at 50 nodes where this rule had 1.3 %). So m
// starts at `steps` and triples while the completeness gap is over `tolerance` of
// |y_c(x) - y_c(x')|: the midpoints of m intervals are midpoints of 3m intervals too, so each
// refinement adds only the 2m new points.
std::vector<float> integrated_gradients(Backprop& bp, const std::vector<float>& image, const Target& t,
                                        const AttributionOptions& o, Attribution& a) {
  if (o.steps < 1) throw Error("integrated_gradients", "steps must be at least 1, got " + std::to_string(o.steps));
  const std::vector<float> base = baseline_image(image, bp.shape(-1), o);
  a.baseline_output = output_at(bp, base, t);
  a.output = output_at(bp, image, t);
  const double difference = a.output - a.baseline_output;
  const std::size_t n = image.size();
  std::vector<double> sum(n, 0.0);
  std::vector<float> map(n);
  // Adds the gradients at alpha = (k + 1/2) / m for the k that `fresh` accepts.
  const auto add_points = [&](int m, auto&& fresh) {
    std::vector<int> ks;
    for (int k = 0; k < m; ++k)
      if (fresh(k)) ks.push_back(k);
    for (std::size_t done = 0; done < ks.size(); done += static_cast<std::size_t>(bp.capacity())) {
      const int batch = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(bp.capacity()), ks.size() - done));
      fill_rows(bp, batch, [&](int b, float* x) {
        const float alpha = (static_cast<float>(ks[done + static_cast<std::size_t>(b)]) + 0.5f) / static_cast<float>(m);
        for (std::size_t i = 0; i < n; ++i) x[i] = base[i] + alpha * (image[i] - base[i]);
      });
      add_gradients(bp, t, Rule::Normal, batch, sum);
    }
  };
  int m = o.steps;
  add_points(m, [](int) { return true; });
  for (;;) {
    double total = 0;
    for (std::size_t i = 0; i < n; ++i) {
      map[i] = static_cast<float>((image[i] - base[i]) * sum[i] / m);
      total += map[i];
    }
    a.completeness_gap = total - difference;
    a.steps = m;
    if (o.tolerance <= 0 || std::abs(a.completeness_gap) <= o.tolerance * std::abs(difference) || 3L * m > o.max_steps) break;
    m *= 3;
    add_points(m, [](int k) { return k % 3 != 1; });  // k = 3j + 1 is the old j-th midpoint
  }
  return map;
}

// The window origins along a side of n: 0, s, 2s, ... and n - w, so every pixel is covered.
std::vector<int> window_origins(int n, int w, int s) {
  std::vector<int> origins;
  for (int p = 0; p + w <= n; p += s) origins.push_back(p);
  if (origins.empty() || origins.back() + w < n) origins.push_back(std::max(0, n - w));
  return origins;
}

// R_p = mean over the windows W covering p of y_c(x) - y_c(x with W set to the value)
std::vector<float> occlusion(Backprop& bp, const std::vector<float>& image, const Target& t, const AttributionOptions& o,
                             Attribution& a) {
  const Shape& s = bp.shape(-1);
  const int C = s[0], H = s[1], W = s[2];
  if (o.window < 1 || o.stride < 1 || o.window > std::min(H, W))
    throw Error("occlusion", "window must be 1.." + std::to_string(std::min(H, W)) + " and stride at least 1, got window " +
                                 std::to_string(o.window) + ", stride " + std::to_string(o.stride));
  const float full = output_at(bp, image, t);
  struct Place { int y, x; };
  std::vector<Place> places;
  for (int y : window_origins(H, o.window, o.stride))
    for (int x : window_origins(W, o.window, o.stride)) places.push_back({y, x});
  std::vector<double> sum(static_cast<std::size_t>(H) * W, 0.0), count(sum.size(), 0.0);
  for (std::size_t first = 0; first < places.size(); first += static_cast<std::size_t>(bp.capacity())) {
    const int batch = static_cast<int>(std::min<std::size_t>(bp.capacity(), places.size() - first));
    fill_rows(bp, batch, [&](int b, float* x) {
      std::copy(image.begin(), image.end(), x);
      const Place p = places[first + static_cast<std::size_t>(b)];
      for (int c = 0; c < C; ++c)
        for (int yy = p.y; yy < p.y + o.window; ++yy)
          for (int xx = p.x; xx < p.x + o.window; ++xx) x[(c * H + yy) * W + xx] = o.occlusion_value;
    });
    bp.forward(batch);
    a.forward_passes += batch;
    for (int b = 0; b < batch; ++b) {
      const double delta = full - bp.value(t, b);
      const Place p = places[first + static_cast<std::size_t>(b)];
      for (int yy = p.y; yy < p.y + o.window; ++yy)
        for (int xx = p.x; xx < p.x + o.window; ++xx) {
          sum[static_cast<std::size_t>(yy * W + xx)] += delta;
          count[static_cast<std::size_t>(yy * W + xx)] += 1;
        }
    }
  }
  std::vector<float> map(image.size());
  for (int c = 0; c < C; ++c)
    for (std::size_t p = 0; p < sum.size(); ++p)
      map[static_cast<std::size_t>(c) * sum.size() + p] = count[p] > 0 ? static_cast<float>(sum[p] / count[p]) : 0.0f;
  a.output = full;
  return map;
}

}  // namespace

std::string_view method_name(Method m) { return name_of(kMethods, m); }
std::vector<std::string_view> method_names() { return names_of(kMethods); }
Method parse_method(std::string_view name, const std::string& where) { return parse_name(kMethods, name, where, "method"); }
bool is_cam(Method m) {
  return m == Method::GradCam || m == Method::GuidedGradCam || m == Method::LayerCam || m == Method::ScoreCam;
}
std::string_view baseline_name(Baseline b) { return name_of(kBaselines, b); }
Baseline parse_baseline(std::string_view name, const std::string& where) { return parse_name(kBaselines, name, where, "baseline"); }

Target class_target(const nn::Network& network, int c) { return unit_target(static_cast<int>(network.size()) - 1, c); }

int predicted_class(const Backprop& bp) {
  const int last = bp.layers() - 1, k = bp.shape(last)[0];
  const float* y = bp.activation(last).data();
  return static_cast<int>(std::max_element(y, y + k) - y);
}

Attribution attribute(Backprop& bp, const std::vector<float>& image, Method method, const AttributionOptions& o) {
  const Shape& in = bp.shape(-1);
  if (image.size() != shape_size(in))
    throw Error("attribution", "the image has " + std::to_string(image.size()) + " values, the network takes " + shape_string(in));
  Attribution a;
  a.method = method;
  a.shape = in;
  std::copy(image.begin(), image.end(), bp.input().data());
  bp.forward(1);
  a.target_class = o.target_class >= 0 ? o.target_class : predicted_class(bp);
  const Target t = class_target(bp.network(), a.target_class);
  bp.check(t);
  a.output = bp.value(t, 0);
  if (is_cam(method)) {
    a.layer = o.layer >= 0 ? o.layer : default_cam_layer(bp.network());
    check_cam_layer(bp.network(), a.layer);
    const Shape& s = bp.shape(a.layer);
    a.cam_height = s[1];
    a.cam_width = s[2];
  }
  const int H = in[1], W = in[2];
  auto spread = [&](const std::vector<float>& cam) {  // Up(cam), repeated over the input's channels
    const std::vector<float> up = upsample_bilinear(cam, a.cam_height, a.cam_width, H, W);
    std::vector<float> map(image.size());
    for (std::size_t i = 0; i < map.size(); ++i) map[i] = up[i % up.size()];
    return map;
  };
  switch (method) {
    case Method::Gradient:
      a.map = single_gradient(bp, image, t, Rule::Normal);
      break;
    case Method::GradientTimesInput:
      a.map = single_gradient(bp, image, t, Rule::Normal);
      for (std::size_t i = 0; i < a.map.size(); ++i) a.map[i] *= image[i];
      break;
    case Method::GuidedBackprop:
      a.map = single_gradient(bp, image, t, Rule::Guided);
      break;
    case Method::Deconvnet:
      a.map = single_gradient(bp, image, t, Rule::Deconvnet);
      break;
    case Method::GradCam:
      a.cam = grad_cam(bp, t, a.layer);
      a.map = spread(a.cam);
      break;
    case Method::GuidedGradCam: {
      a.cam = grad_cam(bp, t, a.layer);
      a.map = spread(a.cam);
      const std::vector<float> guided = single_gradient(bp, image, t, Rule::Guided);
      for (std::size_t i = 0; i < a.map.size(); ++i) a.map[i] *= guided[i];
      break;
    }
    case Method::LayerCam:
      a.cam = layer_cam(bp, t, a.layer);
      a.map = spread(a.cam);
      break;
    case Method::ScoreCam:
      a.cam = score_cam(bp, image, t, a.layer, a.forward_passes);
      a.map = spread(a.cam);
      for (float& v : a.map) v = std::max(v, 0.0f);
      break;
    case Method::SmoothGrad:
      a.map = smoothgrad(bp, image, t, o);
      break;
    case Method::IntegratedGradients:
      a.map = integrated_gradients(bp, image, t, o, a);
      break;
    case Method::Occlusion:
      a.map = occlusion(bp, image, t, o, a);
      break;
  }
  return a;
}

}  // namespace netlens::probe::lurk
