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
#include "probe/lurk/attribution.hpp"
#include "probe/lurk/dataset_pass.hpp"
#include "probe/network_stages.hpp"
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

// An image config's network from the initial weights the peer reads too.
nn::Network config_network(const std::string& id, const std::string& file, const BenchOptions& o, int& input_size) {
  const nn::ImageNetworkSpec spec = nn::parse_image_network(read_json_file(o.examples_dir + "/" + file, "image config"));
  nn::Network net = nn::build_image_network(spec, 1);
  Rng rng(1);
  nn::init_weights(net, rng);
  write_weights(net, o.out_dir + "/" + id + "_init.json");
  input_size = spec.input_size;
  return net;
}

std::vector<int> labels_of(const Tensor& one_hot_targets) {
  std::vector<int> labels(static_cast<std::size_t>(one_hot_targets.dim(0)));
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const float* t = one_hot_targets.data() + i * 10;
    labels[i] = static_cast<int>(std::max_element(t, t + 10) - t);
  }
  return labels;
}

// The Lurk dataset pass over MNIST's training images (forward, every unit's top 9 by max and by
// mean, class histograms): images/s. Each unit's top-1 image by max is written for the peer,
// whose `agreement` is the share of live units where its top-1 is the same image.
json lurk_pass(const std::string& id, const std::string& file, const BenchOptions& o) {
  int size = 0;
  nn::Network net = config_network(id, file, o, size);
  const Mnist m = load_mnist(o, size);
  const std::vector<int> labels = labels_of(m.targets);
  const int n = m.inputs.dim(0);
  json top1 = json::array();
  const double rate = median_rate(o.quick ? 1 : 3, [&] {
    probe::lurk::DatasetPass pass(net, 10);
    const auto start = Clock::now();
    pass.add(m.inputs.data(), labels.data(), 0, n);
    const double seconds = seconds_since(start);
    top1 = json::array();
    for (const auto& layer : pass.layers())
      for (const auto& unit : layer.stats)
        top1.push_back(unit.top_max.entries().front().score > 0 ? unit.top_max.entries().front().image : -1);
    return n / seconds;
  });
  write_file_atomically(o.out_dir + "/" + id + "_top1.json", top1.dump());
  return {{"id", id}, {"value", rate}, {"unit", "images/s"}, {"flops", 2 * count_macs(net).forward}, {"agreement", 1.0}};
}

// One test image at a time, as the Lurk page asks: the map of the predicted class by `method`
// (integrated gradients at a fixed 50 steps, as the peer does). Images/s.
json attribution_rate(const std::string& id, probe::lurk::Method method, int images, const BenchOptions& o) {
  int size = 0;
  nn::Network net = config_network(id, "mnist_cnn_28.json", o, size);
  const Mnist m = load_mnist(o, size);
  probe::lurk::Backprop bp(net, 50);
  probe::lurk::AttributionOptions options;
  options.tolerance = 0;
  const std::size_t in = static_cast<std::size_t>(size) * size;
  const double rate = median_rate(repeats(o), [&] {
    const auto start = Clock::now();
    for (int i = 0; i < images; ++i) {
      const std::vector<float> image(m.test_inputs.data() + i * in, m.test_inputs.data() + (i + 1) * in);
      probe::lurk::attribute(bp, image, method, options);
    }
    return images / seconds_since(start);
  });
  // forward and input-gradient passes per image: one of each (the CAMs stop at their layer, so
  // this counts slightly high), 50 with the two outputs for integrated gradients
  const double passes = method == probe::lurk::Method::IntegratedGradients ? 50 : 1;
  const double forward = count_macs(net).forward;
  return {{"id", id}, {"value", rate}, {"unit", "images/s"}, {"flops", 2 * (passes * 2 * forward + (passes > 1 ? 2 * forward : 0))}};
}

// A drawing through a Digits network as the Digits session answers a stroke: resized to the
// input, forward, every stage's values and the probabilities. Test images stand in for
// drawings. Drawings/s; its inverse is the time a stroke waits for the engine.
json drawing_rate(const std::string& id, nn::Network& net, int size, const BenchOptions& o) {
  write_weights(net, o.out_dir + "/" + id + "_init.json");
  const Mnist m = load_mnist(o);
  nn::Workspace ws = net.make_workspace(1);
  const std::vector<probe::Stage> stages = probe::network_stages(net);
  const int drawings = o.quick ? 2000 : 20000, pool = m.test_inputs.dim(0);
  const double rate = median_rate(repeats(o), [&] {
    const auto start = Clock::now();
    for (int i = 0; i < drawings; ++i) {
      data::resize_area(m.test_inputs.data() + static_cast<std::size_t>(i % pool) * 784, 28, 28, ws.input().data(), size, size);
      net.forward(ws, 1);
      probe::stage_values(stages, ws);
    }
    return drawings / seconds_since(start);
  });
  return {{"id", id}, {"value", rate}, {"unit", "drawings/s"}, {"flops", 2 * count_macs(net).forward}};
}

json d1(const BenchOptions& o) {  // the Digits CNN: W7's layers
  int size = 0;
  nn::Network net = config_network("D1", "mnist_cnn_28.json", o, size);
  return drawing_rate("D1", net, size, o);
}

json d2(const BenchOptions& o) {  // the Digits MLP: W4's layers
  auto net = nn::build_mlp(784, {{128, nn::Activation::ReLU}, {64, nn::Activation::ReLU}, {10, nn::Activation::Linear}});
  Rng rng(1);
  nn::init_weights(net, rng);
  return drawing_rate("D2", net, 28, o);
}

json l1(const BenchOptions& o) { return lurk_pass("L1", "mnist_cnn.json", o); }
json l2(const BenchOptions& o) { return lurk_pass("L2", "mnist_cnn_28.json", o); }
json a1(const BenchOptions& o) { return attribution_rate("A1", probe::lurk::Method::Gradient, o.quick ? 200 : 1000, o); }
json a2(const BenchOptions& o) { return attribution_rate("A2", probe::lurk::Method::GradCam, o.quick ? 200 : 1000, o); }
json a3(const BenchOptions& o) { return attribution_rate("A3", probe::lurk::Method::IntegratedGradients, o.quick ? 50 : 200, o); }

using Workload = json (*)(const BenchOptions&);
const std::vector<std::pair<std::string, Workload>>& workloads() {
  static const std::vector<std::pair<std::string, Workload>> table{
      {"W1", w1}, {"W2", w2}, {"W3", w3}, {"W3g", w3g}, {"W4", w4}, {"W5", w5}, {"W6", w6}, {"W7", w7},
      {"L1", l1}, {"L2", l2}, {"A1", a1}, {"A2", a2}, {"A3", a3}, {"D1", d1}, {"D2", d2}};
  return table;
}

}  // namespace

std::vector<std::string> workload_names() {
  std::vector<std::string> names;
  for (const auto& [name, run] : workloads()) names.push_back(name);
  return names;
}

json run_workload(const std::string& name, const BenchOptions& o) {
  std::filesystem::create_directories(o.out_dir);
  for (const auto& [known, run] : workloads())
    if (known == name) return run(o);
  std::string known;
  for (const std::string& n : workload_names()) known += (known.empty() ? "" : ", ") + n;
  throw Error("bench", "unknown workload '" + name + "' (known: " + known + ")");
}

}  // namespace netlens::cli
