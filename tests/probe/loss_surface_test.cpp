#include "probe/loss_surface.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "core/error.hpp"
#include "nn/layers/dense.hpp"

using namespace netlens;

namespace {
std::unique_ptr<train::TracedRun> trained_xor(int epochs, int refresh) {
  train::TracedRunSpec s;
  s.epochs = epochs;
  s.refresh = refresh;
  auto run = std::make_unique<train::TracedRun>(s);
  while (run->advance()) {
  }
  return run;
}
double mean_loss(train::TracedRun& run) {
  auto& net = run.session().network();
  const auto& set = run.session().train_set();
  auto ws = net.make_workspace(set.size());
  std::copy_n(set.inputs.data(), set.inputs.size(), ws.input().data());
  const auto& z = net.forward(ws, set.size());
  return nn::loss_sum(run.spec().loss, z.data(), set.targets.data(), set.size(), 1) / set.size();
}
}  // namespace

TEST(LossSurface, AtTheOriginOfItsDirectionsIsTheCurrentLoss) {
  const auto owned = trained_xor(2000, 500);
  auto& run = *owned;
  auto& net = run.session().network();
  const auto centre = train::flat_params(net);
  for (const auto& d : {probe::random_directions(net, centre, 5), probe::weight_directions(net, 0, 6)}) {
    const auto s = probe::loss_surface(net, run.session().train_set(), nn::Loss::SquaredError, centre, d, 2.0, 21);
    ASSERT_EQ(s.losses.size(), 21u * 21);
    EXPECT_NEAR(s.losses[10 * 21 + 10], run.trace().back().loss, 1e-12);
    EXPECT_GT(s.losses[0], s.losses[10 * 21 + 10]);  // a trained net sits low on its surface
  }
}

// Along two chosen weights, sample (row, col) is the loss with those two weights moved by
// (beta, alpha); the network keeps its own weights afterwards.
TEST(LossSurface, OverTwoWeightsMovesExactlyThoseWeights) {
  const auto owned = trained_xor(500, 500);
  auto& run = *owned;
  auto& net = run.session().network();
  const auto centre = train::flat_params(net);
  const auto s = probe::loss_surface(net, run.session().train_set(), nn::Loss::SquaredError, centre,
                                     probe::weight_directions(net, 1, 4), 1.5, 5);
  EXPECT_EQ(train::flat_params(net), centre);
  auto params = net.params();
  // Row 1 is beta = -0.75 (parameter 4: the first hidden bias); column 4 is alpha = 1.5 (parameter 1).
  params[0].value->values()[1] += 1.5f;
  params[1].value->values()[0] -= 0.75f;
  EXPECT_NEAR(s.losses[1 * 5 + 4], mean_loss(run), 1e-7);
}

// Each filter (a unit's incoming weights) of a random direction has the norm of the same filter
// of the centre; the biases do not move.
TEST(LossSurface, RandomDirectionsAreFilterNormalised) {
  train::TracedRunSpec spec;
  spec.hidden = {3, 2};
  train::TracedRun run(spec);
  auto& net = run.session().network();
  const auto centre = train::flat_params(net);
  const auto d = probe::random_directions(net, centre, 11);
  std::size_t at = 0;
  for (std::size_t l = 0; l < net.size(); ++l) {
    const auto* dense = dynamic_cast<const nn::Dense*>(&net.layer(l));
    if (!dense) continue;
    for (int j = 0; j < dense->out(); ++j) {
      double dn = 0, cn = 0, dn2 = 0;
      for (int i = 0; i < dense->in(); ++i) {
        const std::size_t k = at + static_cast<std::size_t>(i * dense->out() + j);
        dn += d.d1[k] * d.d1[k];
        dn2 += d.d2[k] * d.d2[k];
        cn += centre[k] * centre[k];
      }
      EXPECT_NEAR(std::sqrt(dn), std::sqrt(cn), 1e-5);
      EXPECT_NEAR(std::sqrt(dn2), std::sqrt(cn), 1e-5);
    }
    at += static_cast<std::size_t>(dense->in() * dense->out());
    for (int j = 0; j < dense->out(); ++j, ++at) EXPECT_EQ(d.d1[at], 0.0f);
  }
  EXPECT_EQ(at, centre.size());
  EXPECT_NE(d.d1, d.d2);
}

// The plane through the last weights, spanned by the way back to the first and to the middle
// record, holds those two visited weights at (1, 0) and (0, 1) and the last at (0, 0), each at
// the height of the loss recorded there.
TEST(LossSurface, TrajectoryPointsAreTheVisitedWeights) {
  const auto owned = trained_xor(1000, 250);
  auto& run = *owned;
  auto& net = run.session().network();
  const auto& trace = run.trace();
  const auto centre = trace.back().params;
  probe::Directions d;
  for (std::size_t i = 0; i < centre.size(); ++i) {
    d.d1.push_back(trace.front().params[i] - centre[i]);
    d.d2.push_back(trace[2].params[i] - centre[i]);
  }
  const auto t = probe::project_trajectory(net, run.session().train_set(), nn::Loss::SquaredError, centre, d, trace);
  ASSERT_EQ(t.size(), trace.size());
  const double expected[][2] = {{1, 0}, {0, 0}, {0, 1}, {0, 0}, {0, 0}};
  for (std::size_t k : {0u, 2u, 4u}) {
    EXPECT_EQ(t[k].epoch, trace[k].epoch);
    EXPECT_NEAR(t[k].alpha, expected[k][0], 1e-5) << k;
    EXPECT_NEAR(t[k].beta, expected[k][1], 1e-5) << k;
    EXPECT_NEAR(t[k].surface_loss, trace[k].loss, 1e-5 * trace[k].loss + 1e-7) << k;
    EXPECT_EQ(t[k].loss, trace[k].loss);
  }
  EXPECT_EQ(train::flat_params(net), centre);
}

// Along two chosen weights the coordinates are exactly those weights' offsets from the centre.
TEST(LossSurface, TrajectoryOverTwoWeightsIsTheirOffsets) {
  const auto owned = trained_xor(600, 200);
  auto& run = *owned;
  auto& net = run.session().network();
  const auto centre = run.trace().back().params;
  const auto t = probe::project_trajectory(net, run.session().train_set(), nn::Loss::SquaredError, centre,
                                           probe::weight_directions(net, 2, 7), run.trace());
  for (std::size_t k = 0; k < t.size(); ++k) {
    EXPECT_NEAR(t[k].alpha, double(run.trace()[k].params[2]) - centre[2], 1e-6);
    EXPECT_NEAR(t[k].beta, double(run.trace()[k].params[7]) - centre[7], 1e-6);
  }
}

TEST(LossSurface, BadArgumentsNameTheField) {
  const auto owned = trained_xor(10, 10);
  auto& run = *owned;
  auto& net = run.session().network();
  try {
    probe::weight_directions(net, 0, 9);
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "second: must be a parameter index 0..8, got 9");
  }
  EXPECT_THROW(probe::weight_directions(net, 3, 3), Error);
  const auto centre = train::flat_params(net);
  EXPECT_THROW(probe::loss_surface(net, run.session().train_set(), nn::Loss::SquaredError, centre,
                                   probe::weight_directions(net, 0, 1), 1.0, 20),
               Error);
}
