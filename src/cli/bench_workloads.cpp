#include "cli/bench_workloads.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "data/idx.hpp"
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
  std::ofstream out(path);
  if (!out) throw Error(path, "cannot write benchmark data");
  for (const auto& p : set.points) out << p.x1 << "," << p.x2 << "," << p.label << "\n";
}

json train_steps(const std::string& id, train::Session& session, long steps, const BenchOptions& o) {
  write_points(session.train_set(), o.out_dir + "/circle_train.csv");
  session.train_step();  // warm-up
  const auto start = Clock::now();
  for (long i = 1; i < steps; ++i) session.train_step();
  const double seconds = seconds_since(start);
  return {{"id", id}, {"value", (steps - 1) / seconds}, {"unit", "steps/s"}, {"loss", session.evaluate().train_loss}};
}

json grid_frames(const std::string& id, train::Session& session, int resolution, int frames) {
  probe::OutputGrid grid(session, resolution);
  grid.compute(session);  // warm-up
  const auto start = Clock::now();
  for (int i = 0; i < frames; ++i) grid.compute(session);
  return {{"id", id}, {"value", frames / seconds_since(start)}, {"unit", "frames/s"}};
}

json w1(const BenchOptions& o) {
  auto s = playground_session(narrow_layers(), "tanh", 0.03);
  return train_steps("W1", s, o.quick ? 200000 : 2000000, o);
}

json w2(const BenchOptions& o) {
  auto s = playground_session(narrow_layers(), "tanh", 0.03);
  return grid_frames("W2", s, 100, o.quick ? 2000 : 20000);
}

json w3(const BenchOptions& o) {
  auto s = playground_session(wide_layer(), "relu", 0.01);
  return train_steps("W3", s, o.quick ? 20000 : 200000, o);
}

json w3g(const BenchOptions& o) {
  auto s = playground_session(wide_layer(), "relu", 0.01);
  return grid_frames("W3g", s, 50, o.quick ? 200 : 2000);
}

// One-hot targets for labels 0..9.
Tensor one_hot(const std::vector<int>& labels) {
  Tensor t({static_cast<int>(labels.size()), 10});
  for (std::size_t i = 0; i < labels.size(); ++i) t[i * 10 + static_cast<std::size_t>(labels[i])] = 1.0f;
  return t;
}

json w4(const BenchOptions& o) {
  data::ImageSet train_set = data::load_image_set(o.mnist_dir, "train");
  const data::ImageSet test_set = data::load_image_set(o.mnist_dir, "t10k");
  int rows = train_set.size();
  if (o.quick) rows = 10000;
  Tensor inputs({rows, 784});
  std::copy_n(train_set.images.data(), inputs.size(), inputs.data());
  const Tensor targets = one_hot({train_set.labels.begin(), train_set.labels.begin() + rows});

  auto net = nn::build_mlp(784, {{128, nn::Activation::ReLU}, {64, nn::Activation::ReLU}, {10, nn::Activation::Linear}});
  Rng rng(1);
  nn::init_weights(net, rng);
  nn::OptimizerConfig adam;
  adam.kind = nn::OptimizerKind::Adam;
  adam.learning_rate = 1e-3f;
  train::Trainer trainer(net, nn::Loss::SoftmaxCrossEntropy, adam, 128, rows, 1);
  const int epochs = 2;
  const auto start = Clock::now();
  for (int e = 0; e < epochs; ++e) trainer.epoch(inputs, targets);
  const double seconds = seconds_since(start);
  const auto test = trainer.evaluate(test_set.images, one_hot(test_set.labels));
  return {{"id", "W4"}, {"value", double(epochs) * rows / seconds}, {"unit", "samples/s"}, {"accuracy", test.accuracy}};
}

}  // namespace

const std::vector<std::string>& workload_names() {
  static const std::vector<std::string> names{"W1", "W2", "W3", "W3g", "W4"};
  return names;
}

json run_workload(const std::string& name, const BenchOptions& o) {
  std::filesystem::create_directories(o.out_dir);
  if (name == "W1") return w1(o);
  if (name == "W2") return w2(o);
  if (name == "W3") return w3(o);
  if (name == "W3g") return w3g(o);
  if (name == "W4") return w4(o);
  throw Error("bench", "unknown workload '" + name + "' (known: W1, W2, W3, W3g, W4)");
}

}  // namespace netlens::cli
