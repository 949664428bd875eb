// The convolution and pooling kernels keep per-thread scratch that grows on first use only: after
// one step, steps of a CNN (W5's layers, and padded 14x14 ones) allocate nothing.
#include <gtest/gtest.h>

#include <memory>

#include "core/rng.hpp"
#include "nn/layers/activation.hpp"
#include "nn/layers/conv2d.hpp"
#include "nn/layers/dense.hpp"
#include "nn/layers/flatten.hpp"
#include "nn/layers/pool.hpp"
#include "nn/mlp.hpp"
#include "nn/network.hpp"
#include "support/allocation_counter.hpp"

using namespace netlens;

TEST(ConvNet, StepsAfterTheFirstAllocateNothing) {
  for (const int pad : {0, 1}) {
    const int size = pad ? 14 : 28, c1 = size + 2 * pad - 2, p1 = c1 / 2, c2 = p1 + 2 * pad - 2, p2 = c2 / 2;
    nn::Network net({1, size, size});
    net.add(std::make_unique<nn::Conv2D>(nn::Conv2DShape{1, size, size, 8, 3, 1, pad}));
    net.add(std::make_unique<nn::ActivationLayer>(nn::Activation::ReLU));
    net.add(std::make_unique<nn::MaxPool2D>(nn::Pool2DShape{8, c1, c1, 2, 2}));
    net.add(std::make_unique<nn::Conv2D>(nn::Conv2DShape{8, p1, p1, 16, 3, 1, pad}));
    net.add(std::make_unique<nn::ActivationLayer>(nn::Activation::ReLU));
    net.add(std::make_unique<nn::MaxPool2D>(nn::Pool2DShape{16, c2, c2, 2, 2}));
    net.add(std::make_unique<nn::Flatten>());
    net.add(std::make_unique<nn::Dense>(16 * p2 * p2, 10));
    Rng rng(95);
    nn::init_weights(net, rng);
    const int batch = 64;
    nn::Workspace ws = net.make_workspace(batch);
    for (auto& v : ws.input().values()) v = static_cast<float>(rng.uniform(0, 1));
    for (auto& v : ws.output_grad().values()) v = static_cast<float>(rng.uniform(-1, 1));
    test::on_each_pool_thread([&] {  // the first step on a thread sizes its scratch
      net.forward(ws, batch);
      net.backward(ws, batch);
    });
    const long before = test::allocations();
    for (int i = 0; i < 20; ++i) {
      net.forward(ws, i % 2 ? batch : 17);  // a short last batch too
      net.backward(ws, i % 2 ? batch : 17);
    }
    EXPECT_EQ(test::allocations() - before, 0) << "padding " << pad;
  }
}
