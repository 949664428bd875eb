#include "server/lurk/conv_weights.hpp"

#include <algorithm>

#include "nn/layers/dense.hpp"
#include "nn/layers/flatten.hpp"

namespace netlens::server::lurk {

const nn::Conv2D* conv_at(const nn::Network& network, int layer) {
  return dynamic_cast<const nn::Conv2D*>(&network.layer(static_cast<std::size_t>(layer)));
}

Tensor kernels(nn::Network& network, int layer, int unit) {
  const nn::Conv2D& conv = *conv_at(network, layer);
  const auto& s = conv.shape();
  const Tensor& w = *network.layer(static_cast<std::size_t>(layer)).params()[0].value;
  const std::size_t patch = static_cast<std::size_t>(s.patch());
  if (unit < 0) {
    Tensor all({s.out_channels, s.in_channels, s.filter, s.filter});
    std::copy_n(w.data(), all.size(), all.data());
    return all;
  }
  Tensor one({s.in_channels, s.filter, s.filter});
  std::copy_n(w.data() + static_cast<std::size_t>(unit) * patch, patch, one.data());
  return one;
}

Tensor dense_weights(const nn::Network& network, int layer, int unit) {
  const auto& dense = dynamic_cast<const nn::Dense&>(network.layer(static_cast<std::size_t>(layer)));
  const Tensor& w = dense.weight();  // (in, out)
  const int in = w.shape()[0], out = w.shape()[1];
  Shape shape = network.input_shape(), before = shape;
  for (int l = 0; l < layer; ++l) {
    before = shape;
    shape = network.layer(static_cast<std::size_t>(l)).output_shape(shape);
  }
  const bool image = layer > 0 && dynamic_cast<const nn::Flatten*>(&network.layer(static_cast<std::size_t>(layer - 1))) &&
                     before.size() == 3 && static_cast<int>(shape_size(before)) == in;
  Tensor row(image ? before : Shape{in});
  for (int i = 0; i < in; ++i) row.data()[i] = w.data()[static_cast<std::size_t>(i) * out + unit];
  return row;
}

}  // namespace netlens::server::lurk
