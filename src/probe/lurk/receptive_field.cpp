#include "probe/lurk/receptive_field.hpp"

#include <algorithm>

#include "nn/layers/conv2d.hpp"
#include "nn/layers/dense.hpp"
#include "nn/layers/flatten.hpp"
#include "nn/layers/pool.hpp"
#include "probe/lurk/backprop.hpp"

namespace netlens::probe::lurk {

namespace {

struct Window {
  int kernel, stride, padding;
};

// The window of a layer that moves one (conv, pool); {1, 1, 0} for an elementwise layer.
Window window_of(const nn::Layer& layer) {
  if (const auto* c = dynamic_cast<const nn::Conv2D*>(&layer))
    return {c->shape().filter, c->shape().stride, c->shape().padding};
  if (const auto* p = dynamic_cast<const nn::Pool2D*>(&layer)) return {p->shape().filter, p->shape().stride, 0};
  return {1, 1, 0};
}

bool sees_everything(const nn::Layer& layer) {
  return dynamic_cast<const nn::Flatten*>(&layer) || dynamic_cast<const nn::Dense*>(&layer);
}

}  // namespace

Box receptive_field(const nn::Network& network, int layer, int y, int x) {
  check_layer(network, layer);
  const Shape& in = network.input_shape();
  const Box whole{0, 0, in.size() == 3 ? in[1] : 1, in.size() == 3 ? in[2] : in[0]};
  std::vector<Shape> shapes{in};
  for (int l = 0; l <= layer; ++l) {
    if (sees_everything(network.layer(static_cast<std::size_t>(l)))) return whole;
    shapes.push_back(network.layer(static_cast<std::size_t>(l)).output_shape(shapes.back()));
  }
  int y0 = y, y1 = y, x0 = x, x1 = x;  // inclusive
  for (int l = layer; l >= 0; --l) {
    const Window w = window_of(network.layer(static_cast<std::size_t>(l)));
    const Shape& s = shapes[static_cast<std::size_t>(l)];  // this layer's input
    // [a, b] -> [a s - p, b s - p + k - 1], clipped to the input map
    y0 = std::max(0, y0 * w.stride - w.padding);
    x0 = std::max(0, x0 * w.stride - w.padding);
    y1 = std::min(s[1] - 1, y1 * w.stride - w.padding + w.kernel - 1);
    x1 = std::min(s[2] - 1, x1 * w.stride - w.padding + w.kernel - 1);
  }
  return {y0, x0, y1 + 1, x1 + 1};
}

FieldSize receptive_field_size(const nn::Network& network, int layer) {
  check_layer(network, layer);
  FieldSize f;
  for (int l = 0; l <= layer; ++l) {
    const nn::Layer& L = network.layer(static_cast<std::size_t>(l));
    if (sees_everything(L)) {
      const Shape& in = network.input_shape();
      return {in.size() == 3 ? std::max(in[1], in[2]) : in[0], 0, true};
    }
    const Window w = window_of(L);
    f.size += (w.kernel - 1) * f.jump;  // r_L = r_{L-1} + (k - 1) j_{L-1}
    f.jump *= w.stride;                 // j_L = j_{L-1} s
  }
  return f;
}

}  // namespace netlens::probe::lurk
