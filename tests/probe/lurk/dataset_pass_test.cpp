#include "probe/lurk/dataset_pass.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.hpp"
#include "probe/lurk/reference_nets.hpp"

using namespace netlens;
using namespace netlens::probe::lurk;

namespace {

constexpr int kImages = 120, kSize = 8, kClasses = 3;

struct Set {
  std::vector<float> images;
  std::vector<int> labels;
};

Set random_set(std::uint64_t seed) {
  Set s{test::random_image(kImages * kSize * kSize, seed), {}};
  Rng rng(seed + 1);
  for (int i = 0; i < kImages; ++i) s.labels.push_back(static_cast<int>(rng.below(kClasses)));
  return s;
}

}  // namespace

TEST(DatasetPass, ScoresTheConvAndDenseLayersAfterTheirActivations) {
  const nn::Network net = test::random_cnn(kSize, 1);
  const auto layers = scored_layers(net, 9, kClasses);
  ASSERT_EQ(layers.size(), 4u);
  EXPECT_EQ(layers[0].layer, 0);
  EXPECT_EQ(layers[0].scored, 1);
  EXPECT_TRUE(layers[0].conv);
  EXPECT_EQ(layers[1].scored, 4);
  EXPECT_EQ(layers[2].scored, 7);
  EXPECT_EQ(layers[3].layer, 8);
  EXPECT_EQ(layers[3].scored, 8);  // the logits
  EXPECT_EQ(layers[3].units, 3);
}

// Streaming top-k over batches equals a brute-force sort of all N x units scores
// (reference §3.15 test 1), for max (with its argmax) and for mean.
TEST(DatasetPass, TopKEqualsABruteForceSortOfEveryScore) {
  const nn::Network net = test::random_cnn(kSize, 2);
  const Set set = random_set(3);
  DatasetPass pass(net, kClasses, 5, 32);
  pass.add(set.images.data(), set.labels.data(), 0, kImages);
  nn::Workspace ws = net.make_workspace(1);
  for (const ScoredLayer& sl : pass.layers()) {
    const std::size_t plane = static_cast<std::size_t>(sl.height * sl.width);
    std::vector<std::vector<TopEntry>> by_max(static_cast<std::size_t>(sl.units)), by_mean(by_max.size());
    for (int n = 0; n < kImages; ++n) {
      std::copy_n(set.images.data() + n * kSize * kSize, kSize * kSize, ws.input().data());
      net.forward(ws, 1);
      const float* a = ws.acts[static_cast<std::size_t>(sl.scored + 1)].data();
      for (int u = 0; u < sl.units; ++u) {
        const float* v = a + static_cast<std::size_t>(u) * plane;
        const std::size_t best = static_cast<std::size_t>(std::max_element(v, v + plane) - v);
        double sum = 0;
        for (std::size_t p = 0; p < plane; ++p) sum += v[p];
        by_max[static_cast<std::size_t>(u)].push_back({n, v[best], static_cast<int>(best) / sl.width, static_cast<int>(best) % sl.width});
        by_mean[static_cast<std::size_t>(u)].push_back({n, static_cast<float>(sum / static_cast<double>(plane)), 0, 0});
      }
    }
    for (int u = 0; u < sl.units; ++u) {
      for (auto* list : {&by_max[static_cast<std::size_t>(u)], &by_mean[static_cast<std::size_t>(u)]}) {
        std::stable_sort(list->begin(), list->end(), ranks_before);
        list->resize(5);
      }
      const UnitStats& st = sl.stats[static_cast<std::size_t>(u)];
      ASSERT_EQ(st.top_max.entries().size(), 5u);
      for (int i = 0; i < 5; ++i) {
        const TopEntry& got = st.top_max.entries()[static_cast<std::size_t>(i)];
        const TopEntry& want = by_max[static_cast<std::size_t>(u)][static_cast<std::size_t>(i)];
        EXPECT_EQ(got.image, want.image) << sl.name << " unit " << u << " rank " << i;
        EXPECT_FLOAT_EQ(got.score, want.score);
        EXPECT_EQ(got.y, want.y);
        EXPECT_EQ(got.x, want.x);
        EXPECT_EQ(st.top_mean.entries()[static_cast<std::size_t>(i)].image, by_mean[static_cast<std::size_t>(u)][static_cast<std::size_t>(i)].image);
        EXPECT_NEAR(st.top_mean.entries()[static_cast<std::size_t>(i)].score, by_mean[static_cast<std::size_t>(u)][static_cast<std::size_t>(i)].score, 1e-6f);
      }
    }
  }
}

TEST(DatasetPass, ClassMeansAverageBackToTheMeanAndPostReluHistogramsAreNonNegative) {
  const nn::Network net = test::random_cnn(kSize, 4);
  const Set set = random_set(5);
  DatasetPass pass(net, kClasses, 3, 50);
  pass.add(set.images.data(), set.labels.data(), 0, kImages);
  EXPECT_EQ(std::accumulate(pass.class_counts().begin(), pass.class_counts().end(), 0L), kImages);
  for (const ScoredLayer& sl : pass.layers())
    for (const UnitStats& u : sl.stats) {
      double weighted = 0;
      for (int c = 0; c < kClasses; ++c) {
        const double h = DatasetPass::class_value(u.class_mean_sum, pass.class_counts(), c);
        weighted += h * static_cast<double>(pass.class_counts()[static_cast<std::size_t>(c)]);
        if (sl.scored != sl.layer) {
          EXPECT_GE(h, 0.0);
        }
      }
      EXPECT_NEAR(weighted / kImages, u.mean_sum / kImages, 1e-6);
      EXPECT_GE(u.dead, 0);
      EXPECT_LE(u.dead, kImages);
    }
}

namespace {

// Equal JSON but for numbers, which agree to `tolerance` relative: a batch split elsewhere may
// round a product's last bit differently (the kernels block rows by the batch).
void expect_near(const nlohmann::json& a, const nlohmann::json& b, double tolerance, const std::string& where = "state") {
  if (a.is_number_float() || b.is_number_float()) {
    ASSERT_TRUE(a.is_number() && b.is_number()) << where;
    EXPECT_NEAR(a.get<double>(), b.get<double>(), tolerance * std::max(1.0, std::abs(b.get<double>()))) << where;
  } else if (a.is_structured()) {
    ASSERT_EQ(a.type(), b.type()) << where;
    ASSERT_EQ(a.size(), b.size()) << where;
    if (a.is_array())
      for (std::size_t i = 0; i < a.size(); ++i) expect_near(a[i], b[i], tolerance, where + "[" + std::to_string(i) + "]");
    else
      for (const auto& [key, value] : a.items()) {
        ASSERT_TRUE(b.contains(key)) << where << "." << key;
        expect_near(value, b[key], tolerance, where + "." + key);
      }
  } else {
    EXPECT_EQ(a, b) << where;
  }
}

}  // namespace

TEST(DatasetPass, AnInterruptedPassResumesToTheSameResult) {
  const nn::Network net = test::random_cnn(kSize, 6);
  const Set set = random_set(7);
  DatasetPass whole(net, kClasses, 4, 16);
  whole.add(set.images.data(), set.labels.data(), 0, kImages);
  DatasetPass first(net, kClasses, 4, 16);
  first.add(set.images.data(), set.labels.data(), 0, 37);
  const nlohmann::json saved = nlohmann::json::parse(first.state().dump());
  DatasetPass second(net, kClasses, 4, 16);
  second.resume(saved);
  EXPECT_EQ(second.images_seen(), 37);
  second.add(set.images.data() + 37 * kSize * kSize, set.labels.data() + 37, 37, kImages - 37);
  expect_near(second.state(), whole.state(), 1e-6);  // the same top images, positions and counts
  DatasetPass other_k(net, kClasses, 5, 16);
  EXPECT_THROW(other_k.resume(saved), Error);
  EXPECT_THROW(second.add(set.images.data(), set.labels.data(), 0, 1), Error);
}
