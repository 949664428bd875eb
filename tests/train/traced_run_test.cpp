#include "train/traced_run.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"

using namespace netlens;

namespace {
train::TracedRunSpec xor_spec(int epochs, int refresh) {
  train::TracedRunSpec s;
  s.epochs = epochs;
  s.refresh = refresh;
  return s;
}
}  // namespace

TEST(TracedRun, RecordsEpochZeroAndEveryRefresh) {
  train::TracedRun run(xor_spec(1000, 300));
  while (run.advance()) {
  }
  ASSERT_EQ(run.trace().size(), 5u);  // 0, 300, 600, 900, 1000
  EXPECT_EQ(run.trace()[0].epoch, 0);
  EXPECT_EQ(run.trace()[3].epoch, 900);
  EXPECT_EQ(run.trace()[4].epoch, 1000);
  EXPECT_TRUE(run.finished());
  EXPECT_EQ(run.trace()[0].gradient_norms.size(), 2u);  // hidden layer, output layer
  EXPECT_EQ(run.trace()[0].params.size(), 2u * 2 + 2 + 2 + 1);
}

TEST(TracedRun, TrainsOnAllFourXorPoints) {
  train::TracedRun run(xor_spec(10, 10));
  EXPECT_EQ(run.session().train_set().size(), 4);
  EXPECT_EQ(run.session().test_set().size(), 0);
}

// The trajectory is the weights the descent visited: a second run stepped by hand to the same
// epochs holds exactly the recorded parameters.
TEST(TracedRun, RecordedParamsAreTheVisitedWeights) {
  train::TracedRun run(xor_spec(500, 100));
  while (run.advance()) {
  }
  train::Session replay(train::playground_spec(run.spec()), {data::xor4_points(), {}});
  for (const auto& record : run.trace()) {
    while (replay.epoch() < record.epoch) replay.train_epoch();
    EXPECT_EQ(train::flat_params(replay.network()), record.params) << "epoch " << record.epoch;
  }
  EXPECT_NE(run.trace().front().params, run.trace().back().params);
}

// The recorded loss is the mean squared error 1/2 (y - t)^2 of the recorded weights.
TEST(TracedRun, RecordedLossIsTheMeanLossOfTheRecordedWeights) {
  train::TracedRun run(xor_spec(200, 200));
  run.advance();
  auto& net = run.session().network();
  auto ws = net.make_workspace(4);
  const auto& set = run.session().train_set();
  std::copy_n(set.inputs.data(), 8, ws.input().data());
  const auto& y = net.forward(ws, 4);
  double sum = 0;
  for (int i = 0; i < 4; ++i) sum += 0.5 * std::pow(y[i] - set.targets[i], 2);
  EXPECT_NEAR(run.trace().back().loss, sum / 4, 1e-7);
}

// Central differences of the mean loss along each parameter, summed per layer, give the norms.
TEST(TracedRun, GradientNormsMatchFiniteDifferences) {
  train::TracedRun run(xor_spec(100, 100));
  run.advance();
  auto& net = run.session().network();
  const auto& set = run.session().train_set();
  auto ws = net.make_workspace(4);
  auto mean_loss = [&] {
    std::copy_n(set.inputs.data(), 8, ws.input().data());
    const auto& y = net.forward(ws, 4);
    return nn::loss_sum(nn::Loss::SquaredError, y.data(), set.targets.data(), 4, 1) / 4;
  };
  std::vector<double> squares;
  const auto params = net.params();
  for (std::size_t p = 0; p < params.size(); ++p) {
    if (p % 2 == 0) squares.push_back(0);  // a Dense layer's weights, then its bias
    for (auto& v : params[p].value->values()) {
      const float keep = v, h = 1e-3f;
      v = keep + h;
      const double up = mean_loss();
      v = keep - h;
      const double down = mean_loss();
      v = keep;
      squares.back() += std::pow((up - down) / (2 * h), 2);
    }
  }
  const auto& norms = run.trace().back().gradient_norms;
  ASSERT_EQ(norms.size(), squares.size());
  for (std::size_t l = 0; l < norms.size(); ++l) EXPECT_NEAR(norms[l], std::sqrt(squares[l]), 2e-3 * norms[l] + 1e-5);
}

// The acceptance run: 2 tanh hidden units, squared error, the default seed and rate.
TEST(TracedRun, XorWithTwoTanhUnitsReachesLossBelowOneHundredthIn40000Epochs) {
  train::TracedRun run(xor_spec(40000, 1000));
  while (run.advance()) {
  }
  EXPECT_LT(run.trace().back().loss, 0.01);
  EXPECT_EQ(run.trace().back().accuracy, 1.0);
}

TEST(TracedRun, BadSpecNamesTheField) {
  auto spec = xor_spec(100, 10);
  spec.hidden = {2, 0};
  EXPECT_THROW(
      {
        try {
          train::TracedRun run(spec);
        } catch (const Error& e) {
          EXPECT_STREQ(e.what(), "hidden[1]: must be 1..64, got 0");
          throw;
        }
      },
      Error);
  spec = xor_spec(100, 10);
  spec.dataset = "blobs7";
  EXPECT_THROW(train::validate(spec), Error);
  spec = xor_spec(100000, 10);  // 10,000 records
  EXPECT_THROW(train::validate(spec), Error);
}
