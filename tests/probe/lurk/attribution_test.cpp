#include "probe/lurk/attribution.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "core/error.hpp"
#include "probe/lurk/cam.hpp"
#include "probe/lurk/reference_nets.hpp"

using namespace netlens;
using namespace netlens::probe::lurk;

namespace {

void expect_near(const std::vector<float>& got, const std::vector<float>& want, float tolerance) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], tolerance) << "at " << i;
}

AttributionOptions for_class(int c) {
  AttributionOptions o;
  o.target_class = c;
  return o;
}

// W's column c of the linear model: dy_c/dx.
std::vector<float> column(const nn::Network& net, int c, int n, int classes) {
  const auto& fc = dynamic_cast<const nn::Dense&>(net.layer(1));
  std::vector<float> w(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) w[static_cast<std::size_t>(i)] = fc.weight()[static_cast<std::size_t>(i * classes + c)];
  return w;
}

}  // namespace

TEST(Attribution, GradientTimesInputAndOcclusionOnTheReferenceNet) {
  const nn::Network net = test::reference_n1();
  Backprop bp(net, 4);
  const auto x = test::reference_n1_input();
  expect_near(attribute(bp, x, Method::GradientTimesInput, for_class(0)).map,
              {0, 1, 2, 3, 0, 5, 6, 7, 0, 9, 10, 11, 0, 0, 0, 0}, 1e-5f);
  AttributionOptions o = for_class(0);
  o.window = 2;
  o.stride = 2;
  const Attribution occ = attribute(bp, x, Method::Occlusion, o);
  expect_near(occ.map, {7, 7, 4, 4, 7, 7, 4, 4, 36, 36, 47, 47, 36, 36, 47, 47}, 1e-4f);
  EXPECT_EQ(occ.forward_passes, 4);
}

TEST(Attribution, IntegratedGradientsOnTheReferenceNetSumTo54) {
  const nn::Network net = test::reference_n1();
  Backprop bp(net, 16);
  AttributionOptions o = for_class(0);
  o.steps = 2000;
  const Attribution ig = attribute(bp, test::reference_n1_input(), Method::IntegratedGradients, o);
  EXPECT_NEAR(std::accumulate(ig.map.begin(), ig.map.end(), 0.0), 54.0, 1e-2);
  EXPECT_NEAR(ig.completeness_gap, 0.0, 1e-2);
  expect_near(ig.map, {0, 0.074f, 0.148f, 0.222f, 1.234f, 3.302f, 3.963f, 2.464f, 2.468f, 5.944f, 6.605f, 3.872f, 3.702f, 7.624f, 8.211f, 4.170f}, 2e-3f);
}

// The midpoint rule's error falls as 1/m on ReLU nets (each kink on the path costs up to a
// step): at a fixed 50 steps these random nets measure gaps of 0.05 to 1.4 % of f(x) - f(x').
// By default m triples from 50 until the gap is within 1 %. The reported gap is exactly
// sum IG - (f(x) - f(x')).
TEST(Attribution, IntegratedGradientsRefineUntilTheyAreCompleteWithinOnePercent) {
  int refined = 0;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const nn::Network net = test::random_cnn(12, seed);
    Backprop bp(net, 50);
    const auto x = test::random_image(144, seed + 100);
    for (Baseline b : {Baseline::Black, Baseline::Blurred}) {
      AttributionOptions o;
      o.baseline = b;
      const Attribution ig = attribute(bp, x, Method::IntegratedGradients, o);
      const double difference = ig.output - ig.baseline_output;
      const std::string where = "seed " + std::to_string(seed) + ", " + std::string(baseline_name(b)) + " baseline";
      EXPECT_NEAR(std::accumulate(ig.map.begin(), ig.map.end(), 0.0) - difference, ig.completeness_gap, 1e-4) << where;
      EXPECT_LE(std::abs(ig.completeness_gap), 0.01 * std::abs(difference)) << where << ", " << ig.steps << " steps";
      EXPECT_TRUE(ig.steps == 50 || ig.steps == 150 || ig.steps == 450 || ig.steps == 1350) << ig.steps;
      refined += ig.steps > 50 ? 1 : 0;

      o.tolerance = 0;  // a fixed m: the refined map is the one a fixed m of that size gives
      o.steps = ig.steps;
      const Attribution fixed = attribute(bp, x, Method::IntegratedGradients, o);
      EXPECT_EQ(fixed.steps, ig.steps);
      for (std::size_t i = 0; i < ig.map.size(); ++i) ASSERT_NEAR(fixed.map[i], ig.map[i], 1e-5f) << where << ", pixel " << i;
    }
  }
  EXPECT_GT(refined, 0) << "no net needed more than 50 steps: the refinement is untested";
}

TEST(Attribution, OnALinearModelGradientSmoothGradAndIntegratedGradientsHaveClosedForms) {
  const nn::Network net = test::linear_model(1, 5, 5, 3, 2);
  Backprop bp(net, 8);
  const auto x = test::random_image(25, 3);
  const std::vector<float> w = column(net, 2, 25, 3);
  expect_near(attribute(bp, x, Method::Gradient, for_class(2)).map, w, 1e-6f);
  AttributionOptions sg = for_class(2);
  sg.noise_level = 0.5f;
  expect_near(attribute(bp, x, Method::SmoothGrad, sg).map, w, 1e-6f);
  std::vector<float> wx(25);
  for (int i = 0; i < 25; ++i) wx[static_cast<std::size_t>(i)] = w[static_cast<std::size_t>(i)] * x[static_cast<std::size_t>(i)];
  AttributionOptions ig = for_class(2);
  ig.steps = 3;
  expect_near(attribute(bp, x, Method::IntegratedGradients, ig).map, wx, 1e-5f);  // w (x - 0), any m
  AttributionOptions occ = for_class(2);
  occ.window = 1;
  occ.stride = 1;
  expect_near(attribute(bp, x, Method::Occlusion, occ).map, wx, 1e-5f);  // 1x1 windows, baseline 0: w x
}

TEST(Attribution, SmoothGradWithTinyNoiseIsTheGradient) {
  const nn::Network net = test::random_cnn(8, 4);
  Backprop bp(net, 8);
  const auto x = test::random_image(64, 5);
  AttributionOptions o;
  o.noise_level = 1e-7f;
  expect_near(attribute(bp, x, Method::SmoothGrad, o).map, attribute(bp, x, Method::Gradient, o).map, 1e-4f);
}

TEST(Attribution, GuidedGradCamIsGuidedBackpropTimesTheUpsampledCam) {
  const nn::Network net = test::random_cnn(8, 6);
  Backprop bp(net, 1);
  const auto x = test::random_image(64, 7);
  const Attribution cam = attribute(bp, x, Method::GradCam, {});
  const Attribution guided = attribute(bp, x, Method::GuidedBackprop, {});
  const Attribution both = attribute(bp, x, Method::GuidedGradCam, {});
  EXPECT_EQ(cam.layer, 4);
  EXPECT_EQ(cam.cam.size(), 4u);  // 8x8 -> pool 4x4 -> conv 3x3 2x2
  for (std::size_t i = 0; i < 64; ++i) EXPECT_FLOAT_EQ(both.map[i], cam.map[i] * guided.map[i]);
}

TEST(Attribution, DefaultsToThePredictedClassAndRefusesCamsWithoutAConvLayer) {
  const nn::Network net = test::linear_model(1, 4, 4, 3, 9);
  Backprop bp(net, 1);
  const auto x = test::random_image(16, 10);
  const Attribution a = attribute(bp, x, Method::Gradient, {});
  bp.forward(1);
  EXPECT_EQ(a.target_class, predicted_class(bp));
  try {
    attribute(bp, x, Method::GradCam, {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("need a conv layer"), std::string::npos) << e.what();
  }
  EXPECT_THROW(attribute(bp, x, Method::Gradient, for_class(3)), Error);
  EXPECT_THROW(parse_method("lrp", "--method"), Error);
  EXPECT_EQ(parse_method("score_cam", "--method"), Method::ScoreCam);
}
