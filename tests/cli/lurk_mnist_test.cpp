// The Lurk acceptance checks on the classic MNIST CNN trained by netlens (examples/mnist_cnn.json,
// two epochs on a fifth of the training set): output units' top images are of their class, the
// last conv layer's class histograms are not uniform, and every class logit's dream is classified
// as its class and, for at least 8 of 10, looks more like its class's mean image than any other's.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>

#include <nlohmann/json.hpp>

#include "data/idx.hpp"
#include "data/resize.hpp"
#include "support/run_netlens.hpp"

using namespace netlens;
using nlohmann::json;

namespace {

std::string mnist_dir() { return std::string(NETLENS_SOURCE_DIR) + "/.cache/mnist"; }

double correlation(const std::vector<double>& a, const std::vector<double>& b) {
  const double n = static_cast<double>(a.size());
  const double ma = std::accumulate(a.begin(), a.end(), 0.0) / n, mb = std::accumulate(b.begin(), b.end(), 0.0) / n;
  double c = 0, va = 0, vb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    c += (a[i] - ma) * (b[i] - mb);
    va += (a[i] - ma) * (a[i] - ma);
    vb += (b[i] - mb) * (b[i] - mb);
  }
  return c / std::sqrt(va * vb);
}

}  // namespace

TEST(LurkMnist, TopImagesHistogramsAndDreamsOfTheClassicCnn) {
  if (!std::filesystem::exists(mnist_dir() + "/train-images-idx3-ubyte")) GTEST_SKIP() << "MNIST not fetched (make setup)";
  json c = json::parse(std::ifstream(std::string(NETLENS_SOURCE_DIR) + "/examples/mnist_cnn.json"));
  c["epochs"] = 2;
  const std::string config = test::temp_path("lurk_mnist.json"), model = test::temp_path("lurk_mnist.nlmodel");
  std::ofstream(config) << c.dump();
  const auto trained = test::run_netlens("train --config " + config + " --data-dir " + mnist_dir() + " --out " + model + " --json");
  ASSERT_EQ(trained.status, 0) << trained.err;

  const std::string out = test::temp_path("lurk_mnist_cache");
  std::filesystem::remove_all(out);
  const auto pass = test::run_netlens("lurk --model " + model + " --data-dir " + mnist_dir() + " --split test --out " + out + " --json");
  ASSERT_EQ(pass.status, 0) << pass.err;
  const json m = json::parse(std::ifstream(out + "/manifest.json"));
  const json& output = m["layers"].back();
  ASSERT_EQ(output["units"], 10);
  for (int u = 0; u < 10; ++u) {
    int of_class = 0;
    for (const auto& e : output["unit_stats"][static_cast<std::size_t>(u)]["top_max"]) of_class += e["label"] == u ? 1 : 0;
    EXPECT_GE(of_class, 8) << "output unit " << u;
  }
  const json& last_conv = m["layers"][1];
  ASSERT_EQ(last_conv["kind"], "conv");
  int uneven = 0;
  for (const auto& u : last_conv["unit_stats"]) {
    const auto h = u["class_mean"].get<std::vector<double>>();
    const double mean = std::accumulate(h.begin(), h.end(), 0.0) / 10;
    const auto [lo, hi] = std::minmax_element(h.begin(), h.end());
    uneven += *hi - *lo > 0.2 * mean ? 1 : 0;  // a spread of more than a fifth of the mean
  }
  EXPECT_GE(uneven, last_conv["units"].get<int>() / 2);

  // The class means at the model's 14 px, as the pass saw them.
  const data::ImageSet train = data::load_image_set(mnist_dir(), "train");
  std::vector<std::vector<double>> means(10, std::vector<double>(196, 0.0));
  std::vector<int> count(10, 0);
  std::vector<float> small(196);
  for (int i = 0; i < train.size(); i += 4) {
    const int label = train.labels[static_cast<std::size_t>(i)];
    data::resize_area(train.images.data() + static_cast<std::size_t>(i) * 784, 28, 28, small.data(), 14, 14);
    for (int p = 0; p < 196; ++p) means[static_cast<std::size_t>(label)][static_cast<std::size_t>(p)] += small[static_cast<std::size_t>(p)];
    ++count[static_cast<std::size_t>(label)];
  }
  for (int k = 0; k < 10; ++k)
    for (double& v : means[static_cast<std::size_t>(k)]) v /= count[static_cast<std::size_t>(k)];
  int closest_to_own = 0;
  for (int k = 0; k < 10; ++k) {
    const auto r = test::run_netlens("dream --model " + model + " --data-dir " + mnist_dir() + " --layer 9 --unit " + std::to_string(k) + " --json");
    ASSERT_EQ(r.status, 0) << r.err;
    const json d = json::parse(r.out);
    EXPECT_EQ(d["predicted"], k) << "the dream of class " << k;
    EXPECT_FALSE(d["flat"].get<bool>());
    const auto image = d["image"].get<std::vector<double>>();
    int best = 0;
    for (int j = 1; j < 10; ++j)
      if (correlation(image, means[static_cast<std::size_t>(j)]) > correlation(image, means[static_cast<std::size_t>(best)])) best = j;
    closest_to_own += best == k ? 1 : 0;
  }
  EXPECT_GE(closest_to_own, 8);
}
