#include "nn/feature_major.hpp"

#include "core/error.hpp"
#include "core/kernels.hpp"
#include "nn/layers/activation.hpp"
#include "nn/layers/dense.hpp"

namespace netlens::nn {

FeatureMajorWorkspace make_feature_major_workspace(const Network& network, int points) {
  FeatureMajorWorkspace ws;
  ws.points = points;
  Shape s = network.input_shape();
  ws.buffers.emplace_back(Shape{s[0], points});
  for (std::size_t i = 0; i < network.size(); ++i) {
    const Layer& l = network.layer(i);
    s = l.output_shape(s);
    if (dynamic_cast<const Dense*>(&l)) {
      ws.buffers.emplace_back(Shape{s[0], points});
      ws.outputs.push_back(ws.buffers.size() - 1);
    } else if (dynamic_cast<const ActivationLayer*>(&l)) {
      ws.outputs.push_back(i == 0 ? 0 : ws.outputs.back());  // in place
    } else {
      throw Error("layers[" + std::to_string(i) + "] " + l.name(),
                  "feature-major evaluation takes dense and activation layers only");
    }
  }
  if (!network.size() || ws.outputs.front() == 0)
    throw Error("layers[0]", "feature-major evaluation needs a dense layer first (it never writes the inputs)");
  return ws;
}

const Tensor& forward_feature_major(const Network& network, FeatureMajorWorkspace& ws) {
  for (std::size_t i = 0; i < network.size(); ++i) {
    const Tensor& x = ws.buffers[i == 0 ? 0 : ws.outputs[i - 1]];
    Tensor& y = ws.buffers[ws.outputs[i]];
    if (const auto* d = dynamic_cast<const Dense*>(&network.layer(i)))
      kernels::matmul_bias_feature_major(x.data(), d->weight().data(), d->bias().data(), y.data(), ws.points, d->in(),
                                         d->out());
    else  // elementwise: the layout does not matter
      activation_forward(static_cast<const ActivationLayer&>(network.layer(i)).activation(), x.data(), y.data(),
                         x.size());
  }
  return ws.output();
}

}  // namespace netlens::nn
