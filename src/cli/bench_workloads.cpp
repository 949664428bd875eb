#include "cli/bench_workloads.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <sstream>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "data/idx.hpp"
#include "data/resize.hpp"
#include "nn/image_network.hpp"
#include "nn/layers/conv2d.hpp"
#include "nn/layers/dense.hpp"
#include "nn/layers/flatten.hpp"
#include "nn/layers/pool.hpp"
#include "nn/mlp.hpp"
#include "probe/output_grid.hpp"
#include "train/session.hpp"
#include "train/trainer.hpp"

namespace netlens::cli {

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The Playground net of W1 (2-8-8-1 tanh) or W3 (2-1000-1 ReLU) on the circle set.
train::Session playground_session(const json& hidden, const char* activation, double learning_rate) {
  return train::Session(train::parse_run_spec(
      {{"dataset", "circle"}, {"hidden_layers", hidden}, {"activation", activation}, {"learning_rate", learning_rate}}));
}

json narrow_layers() { return json::array({{{"units", 8}}, {{"units", 8}}}); }
json wide_layer() { return json::array({{{"units", 1000}}}); }

// The peer trains on these very points: x1, x2, label.
void write_points(const train::Dataset& set, const std::string& path) {
  std::ostringstream out;
  for (const auto& p : set.points) out << p.x1 << "," << p.x2 << "," << p.label << "\n";
  write_file_atomically(path, out.str());
}

// The peer starts from these very weights, one entry per Dense ({"in", "out", "weight" (in x out),
// "bias"}) or Conv2D ({"shape": [K, C, F, F], "weight", "bias"}) in order.
void write_weights(nn::Network& net, const std::string& path) {
  json layers = json::array();
  for (std::size_t i = 0; i < net.size(); ++i) {
    if (auto* d = dynamic_cast<nn::Dense*>(&net.layer(i)))
      layers.push_back({{"in", d->in()}, {"out", d->out()}, {"weight", d->weight().values()}, {"bias", d->bias().values()}});
    if (auto* c = dynamic_cast<nn::Conv2D*>(&net.layer(i))) {
      const auto& s = c->shape();
      layers.push_back({{"shape", {s.out_channels, s.in_channels, s.filter, s.filter}},
                        {"weight", c->weight().values()},
                        {"bias", c->bias().values()}});
    }
  }
  write_file_atomically(path, layers.dump());
}

// Runs `run` `repeats` times; the median of the rates it returns.
template <class F>
double median_rate(int repeats, F&& run) {
  std::vector<double> rates;
  for (int r = 0; r < repeats; ++r) rates.push_back(run());
  std::sort(rates.begin(), rates.end());
  return rates[rates.size() / 2];
}

int repeats(const BenchOptions& o) { return o.quick ? 3 : 7; }

// Multiply-adds of one sample through the network's Dense and Conv2D layers: forward, and
// backward (dW everywhere, dx except for the first layer, which the network never asks for).
// Activations, pools, the loss and the optimizer are not counted: they are a few percent of it.
struct Macs {
  double forward = 0, backward = 0;
  double training_flops() const { return 2 * (forward + backward); }
};

Macs count_macs(nn::Network& net) {
  Macs m;
  for (std::size_t i = 0; i < net.size(); ++i) {
    double macs = 0;
    if (auto* d = dynamic_cast<nn::Dense*>(&net.layer(i))) macs = double(d->in()) * d->out();
    if (auto* c = dynamic_cast<nn::Conv2D*>(&net.layer(i))) {
      const auto& s = c->shape();
      macs = double(s.out_channels) * s.out_height() * s.out_width() * s.patch();
    }
    m.forward += macs;
    m.backward += i == 0 ? macs : 2 * macs;
  }
  return m;
}

// The same number of steps as the peer, from the same initial weights, repeated for a median.
json train_steps(const std::string& id, train::Session& session, long steps, const BenchOptions& o) {
  write_points(session.train_set(), o.out_dir + "/circle_train.csv");
  write_weights(session.network(), o.out_dir + "/" + id + "_init.json");
  const double rate = median_rate(repeats(o), [&] {
    session.reset();
    const auto start = Clock::now();
    for (long i = 0; i < steps; ++i) session.train_step();
    return steps / seconds_since(start);
  });
  const double flops = count_macs(session.network()).training_flops() * session.spec().batch_size;
  return {{"id", id}, {"value", rate}, {"unit", "steps/s"}, {"flops", flops}, {"loss", session.evaluate().train_loss}};
}

json grid_frames(const std::string& id, train::Session& session, int resolution, int frames, const BenchOptions& o) {
  probe::OutputGrid grid(session, resolution);
  grid.compute(session);  // warm-up
  const double rate = median_rate(repeats(o), [&] {
    const auto start = Clock::now();
    for (int i = 0; i < frames; ++i) grid.compute(session);
    return frames / seconds_since(start);
  });
  const double flops = 2 * count_macs(session.network()).forward * resolution * resolution;
  return {{"id", id}, {"value", rate}, {"unit", "frames/s"}, {"flops", flops}};
}

// Step and frame counts match bench/peer_torch.py's.
json w1(const BenchOptions& o) {
  auto s = playground_session(narrow_layers(), "tanh", 0.03);
  return train_steps("W1", s, o.quick ? 5000 : 30000, o);
}

json w2(const BenchOptions& o) {
  auto s = playground_session(narrow_layers(), "tanh", 0.03);
  return grid_frames("W2", s, 100, o.quick ? 300 : 2000, o);
}

json w3(const BenchOptions& o) {
  auto s = playground_session(wide_layer(), "relu", 0.003);
  return train_steps("W3", s, o.quick ? 2000 : 20000, o);
}

json w3g(const BenchOptions& o) {
  auto s = playground_session(wide_layer(), "relu", 0.003);
  return grid_frames("W3g", s, 50, o.quick ? 100 : 1000, o);
}

// One-hot targets for labels 0..9.
Tensor one_hot(const std::vector<int>& labels) {
  Tensor t({static_cast<int>(labels.size()), 10});
  for (std::size_t i = 0; i < labels.size(); ++i) t[i * 10 + static_cast<std::size_t>(labels[i])] = 1.0f;
  return t;
}

// MNIST's training images (all, or the first 10,000 with quick) and the test set, one-hot.
struct Mnist {
  Tensor inputs, targets, test_inputs, test_targets;
};

void write_floats(const Tensor& t, const std::string& path) {
  write_file_atomically(path, std::string(reinterpret_cast<const char*>(t.data()), t.size() * sizeof(float)));
}

Mnist load_mnist(const BenchOptions& o, int size = 28) {
  data::ImageSet train_set = data::load_image_set(o.mnist_dir, "train");
  data::ImageSet test_set = data::load_image_set(o.mnist_dir, "t10k");
  const int rows = o.quick ? 10000 : train_set.size();
  Mnist m;
  m.inputs = Tensor({rows, 784});
  std::copy_n(train_set.images.data(), m.inputs.size(), m.inputs.data());
  m.targets = one_hot({train_set.labels.begin(), train_set.labels.begin() + rows});
  m.test_inputs = std::move(test_set.images);
  m.test_targets = one_hot(test_set.labels);
  if (size != 28) {  // resized as image runs resize them; the peer reads these very pixels
    m.inputs = data::resize_images(m.inputs, 28, size);
    m.test_inputs = data::resize_images(m.test_inputs, 28, size);
    write_floats(m.inputs, o.out_dir + "/mnist" + std::to_string(size) + "_train.f32");
    write_floats(m.test_inputs, o.out_dir + "/mnist" + std::to_string(size) + "_test.f32");
  }
  return m;
}

// Adam lr 1e-3 with softmax cross-entropy for `epochs`, three times from the same initial
// weights: the median samples/s and the test accuracy (the same each time).
json train_mnist(const std::string& id, nn::Network& net, int batch, int epochs, const BenchOptions& o,
                 const Mnist& m) {
  nn::OptimizerConfig adam;
  adam.kind = nn::OptimizerKind::Adam;
  adam.learning_rate = 1e-3f;
  train::Evaluation test;
  const double rate = median_rate(3, [&] {
    Rng rng(1);
    nn::init_weights(net, rng);
    write_weights(net, o.out_dir + "/" + id + "_init.json");
    train::Trainer trainer(net, nn::Loss::SoftmaxCrossEntropy, adam, batch, m.inputs.dim(0), 1);
    const auto start = Clock::now();
    for (int e = 0; e < epochs; ++e) trainer.epoch(m.inputs, m.targets);
    const double seconds = seconds_since(start);
    test = trainer.evaluate(m.test_inputs, m.test_targets);
    return double(epochs) * m.inputs.dim(0) / seconds;
  });
  return {{"id", id},
          {"value", rate},
          {"unit", "samples/s"},
          {"flops", count_macs(net).training_flops()},
          {"accuracy", test.accuracy}};
}

json w4(const BenchOptions& o) {
  auto net = nn::build_mlp(784, {{128, nn::Activation::ReLU}, {64, nn::Activation::ReLU}, {10, nn::Activation::Linear}});
  return train_mnist("W4", net, 128, 2, o, load_mnist(o));
}

// conv(8, 3x3) - ReLU - maxpool 2 - conv(16, 3x3) - ReLU - maxpool 2 - dense 10, no padding
json w5(const BenchOptions& o) {
  nn::Network net({1, 28, 28});
  net.add(std::make_unique<nn::Conv2D>(nn::Conv2DShape{1, 28, 28, 8, 3, 1, 0}));
  net.add(std::make_unique<nn::ActivationLayer>(nn::Activation::ReLU));
  net.add(std::make_unique<nn::MaxPool2D>(nn::Pool2DShape{8, 26, 26, 2, 2}));
  net.add(std::make_unique<nn::Conv2D>(nn::Conv2DShape{8, 13, 13, 16, 3, 1, 0}));
  net.add(std::make_unique<nn::ActivationLayer>(nn::Activation::ReLU));
  net.add(std::make_unique<nn::MaxPool2D>(nn::Pool2DShape{16, 11, 11, 2, 2}));
  net.add(std::make_unique<nn::Flatten>());
  net.add(std::make_unique<nn::Dense>(400, 10));
  return train_mnist("W5", net, 64, 1, o, load_mnist(o));
}

// An image config's network (examples/*.json) at its own batch size and input size, trained
// as W5 is (Adam lr 1e-3, one epoch); the peer builds the same layers from the same file.
json image_config(const std::string& id, const std::string& file, const BenchOptions& o) {
  const json config = read_json_file(o.examples_dir + "/" + file, "image config");
  const nn::ImageNetworkSpec spec = nn::parse_image_network(config);
  nn::Network net = nn::build_image_network(spec, 1);
  json result = train_mnist(id, net, config.at("batch_size").get<int>(), 1, o, load_mnist(o, spec.input_size));
  result["config"] = file;
  return result;
}

// W6: the classic 14x14 config (padding 1, dense 128); W7: the same layers on 28x28 images.
json w6(const BenchOptions& o) { return image_config("W6", "mnist_cnn.json", o); }
json w7(const BenchOptions& o) { return image_config("W7", "mnist_cnn_28.json", o); }

}  // namespace

const std::vector<std::string>& workload_names() {
  static const std::vector<std::string> names{"W1", "W2", "W3", "W3g", "W4", "W5", "W6", "W7"};
  return names;
}

json run_workload(const std::string& name, const BenchOptions& o) {
  std::filesystem::create_directories(o.out_dir);
  if (name == "W1") return w1(o);
  if (name == "W2") return w2(o);
  if (name == "W3") return w3(o);
  if (name == "W3g") return w3g(o);
  if (name == "W4") return w4(o);
  if (name == "W5") return w5(o);
  if (name == "W6") return w6(o);
  if (name == "W7") return w7(o);
  throw Error("bench", "unknown workload '" + name + "' (known: W1, W2, W3, W3g, W4, W5, W6, W7)");
}

}  // namespace netlens::cli
