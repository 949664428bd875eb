#include "probe/lurk/cam.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "nn/layers/activation.hpp"
#include "nn/layers/conv2d.hpp"
#include "nn/layers/softmax.hpp"

namespace netlens::probe::lurk {

namespace {

struct Maps {  // a layer's output for sample 0: K maps of h x w
  int k, h, w;
  const float* a;  // activations
  const float* g;  // gradients
};

Maps maps_at(const Backprop& bp, int layer) {
  const Shape& s = bp.shape(layer);
  return {s[0], s[1], s[2], bp.activation(layer).data(), bp.gradient(layer).data()};
}

void relu_in_place(std::vector<float>& v) {
  for (float& x : v) x = std::max(x, 0.0f);
}

}  // namespace

int default_cam_layer(const nn::Network& network) {
  int last = -1;
  for (std::size_t l = 0; l < network.size(); ++l)
    if (dynamic_cast<const nn::Conv2D*>(&network.layer(l))) last = static_cast<int>(l);
  if (last < 0) throw Error("CAM methods", "need a conv layer, and this model has none (an MLP): use gradient, guided_backprop, integrated_gradients or occlusion");
  if (last + 1 < static_cast<int>(network.size()) && dynamic_cast<const nn::ActivationLayer*>(&network.layer(static_cast<std::size_t>(last + 1))))
    ++last;
  return last;
}

void check_cam_layer(const nn::Network& network, int layer) {
  check_layer(network, layer);
  Shape s = network.input_shape();
  for (int l = 0; l <= layer; ++l) s = network.layer(static_cast<std::size_t>(l)).output_shape(s);
  if (s.size() != 3)
    throw Error("layer " + std::to_string(layer) + " " + network.layer(static_cast<std::size_t>(layer)).name(),
                "has a flat output " + shape_string(s) + "; a CAM needs a conv layer's (C, H, W) map");
}

// a_k = (1/Z) sum_ij g^k_ij;  L_ij = ReLU(sum_k a_k A^k_ij)
std::vector<float> grad_cam(Backprop& bp, const Target& t, int layer) {
  check_cam_layer(bp.network(), layer);
  bp.forward(1);
  bp.backward(t, Rule::Normal, 1);
  const Maps m = maps_at(bp, layer);
  const std::size_t z = static_cast<std::size_t>(m.h) * m.w;
  std::vector<float> cam(z, 0.0f);
  for (int k = 0; k < m.k; ++k) {
    double alpha = 0;
    for (std::size_t i = 0; i < z; ++i) alpha += m.g[k * z + i];
    alpha /= static_cast<double>(z);
    for (std::size_t i = 0; i < z; ++i) cam[i] += static_cast<float>(alpha * m.a[k * z + i]);
  }
  relu_in_place(cam);
  return cam;
}

// L_ij = ReLU(sum_k max(g^k_ij, 0) A^k_ij)
std::vector<float> layer_cam(Backprop& bp, const Target& t, int layer) {
  check_cam_layer(bp.network(), layer);
  bp.forward(1);
  bp.backward(t, Rule::Normal, 1);
  const Maps m = maps_at(bp, layer);
  const std::size_t z = static_cast<std::size_t>(m.h) * m.w;
  std::vector<float> cam(z, 0.0f);
  for (int k = 0; k < m.k; ++k)
    for (std::size_t i = 0; i < z; ++i) cam[i] += std::max(m.g[k * z + i], 0.0f) * m.a[k * z + i];
  relu_in_place(cam);
  return cam;
}

// H_k = minmax(Up A^k); a_k = softmax(f(x * H_k))_c (constant maps skipped); L = ReLU(sum_k a_k A^k)
std::vector<float> score_cam(Backprop& bp, const std::vector<float>& image, const Target& t, int layer, int& passes) {
  check_cam_layer(bp.network(), layer);
  const Shape& in = bp.shape(-1);
  const int C = in[0], H = in[1], W = in[2];
  const std::size_t n_in = image.size();
  std::copy(image.begin(), image.end(), bp.input().data());
  bp.forward(1);
  const Maps m = maps_at(bp, layer);
  const std::size_t z = static_cast<std::size_t>(m.h) * m.w;
  const std::vector<float> acts(m.a, m.a + static_cast<std::size_t>(m.k) * z);  // the forwards below overwrite it
  std::vector<int> channels;  // the non-constant maps
  std::vector<std::vector<float>> masks;
  for (int k = 0; k < m.k; ++k) {
    std::vector<float> up = upsample_bilinear({acts.begin() + static_cast<long>(k * z), acts.begin() + static_cast<long>((k + 1) * z)}, m.h, m.w, H, W);
    const auto [lo, hi] = std::minmax_element(up.begin(), up.end());
    if (*hi - *lo < 1e-12f) continue;
    const float l = *lo, range = *hi - *lo;
    for (float& v : up) v = (v - l) / range;
    channels.push_back(k);
    masks.push_back(std::move(up));
  }
  const Shape& out = bp.shape(bp.layers() - 1);
  const int classes = out[0];
  std::vector<float> probs(static_cast<std::size_t>(classes)), cam(z, 0.0f);
  for (std::size_t first = 0; first < channels.size(); first += static_cast<std::size_t>(bp.capacity())) {
    const int batch = static_cast<int>(std::min<std::size_t>(bp.capacity(), channels.size() - first));
    for (int b = 0; b < batch; ++b) {
      float* x = bp.input().data() + static_cast<std::size_t>(b) * n_in;
      const std::vector<float>& mask = masks[first + static_cast<std::size_t>(b)];
      for (int c = 0; c < C; ++c)
        for (int p = 0; p < H * W; ++p) x[c * H * W + p] = image[static_cast<std::size_t>(c * H * W + p)] * mask[static_cast<std::size_t>(p)];
    }
    bp.forward(batch);
    passes += batch;
    for (int b = 0; b < batch; ++b) {
      nn::softmax_row(bp.activation(bp.layers() - 1).data() + static_cast<std::size_t>(b) * classes, probs.data(), classes);
      const float alpha = probs[static_cast<std::size_t>(t.channel)];
      const int k = channels[first + static_cast<std::size_t>(b)];
      for (std::size_t i = 0; i < z; ++i) cam[i] += alpha * acts[static_cast<std::size_t>(k) * z + i];
    }
  }
  relu_in_place(cam);
  std::copy(image.begin(), image.end(), bp.input().data());
  return cam;
}

std::vector<float> upsample_bilinear(const std::vector<float>& map, int h, int w, int H, int W) {
  std::vector<float> out(static_cast<std::size_t>(H) * W);
  auto coord = [](int i, int from, int to, int& i0, int& i1, float& t) {
    const float s = std::clamp((static_cast<float>(i) + 0.5f) * static_cast<float>(from) / static_cast<float>(to) - 0.5f, 0.0f,
                               static_cast<float>(from - 1));
    i0 = static_cast<int>(std::floor(s));
    i1 = std::min(i0 + 1, from - 1);
    t = s - static_cast<float>(i0);
  };
  for (int y = 0; y < H; ++y) {
    int y0, y1;
    float ty;
    coord(y, h, H, y0, y1, ty);
    for (int x = 0; x < W; ++x) {
      int x0, x1;
      float tx;
      coord(x, w, W, x0, x1, tx);
      auto at = [&](int yy, int xx) { return map[static_cast<std::size_t>(yy * w + xx)]; };
      const float top = at(y0, x0) * (1 - tx) + at(y0, x1) * tx, bottom = at(y1, x0) * (1 - tx) + at(y1, x1) * tx;
      out[static_cast<std::size_t>(y * W + x)] = top * (1 - ty) + bottom * ty;
    }
  }
  return out;
}

}  // namespace netlens::probe::lurk
