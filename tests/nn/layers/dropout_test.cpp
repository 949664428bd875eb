#include "nn/layers/dropout.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "support/gradient_check.hpp"
#include "support/input_gradient_check.hpp"

using namespace netlens;

TEST(Dropout, EvaluationPassesValuesUnchanged) {
  nn::Dropout dropout(0.5f, 3);
  Rng rng(1);
  Tensor x({4, 50}), y({4, 50});
  test::fill_away_from_zero(x, rng);
  dropout.forward(x, y, 4);
  EXPECT_EQ(y.values(), x.values());
}

TEST(Dropout, TrainingZeroesAboutRateAndScalesTheRest) {
  nn::Dropout dropout(0.3f, 11);
  dropout.set_training(true);
  Tensor x({100, 100}, 2.0f), y({100, 100});
  dropout.forward(x, y, 100);
  int zeros = 0;
  for (float v : y.values()) {
    if (v == 0.0f) ++zeros;
    else EXPECT_FLOAT_EQ(v, 2.0f / 0.7f);
  }
  EXPECT_NEAR(zeros / 10000.0, 0.3, 0.02);
}

TEST(Dropout, SameSeedSameMasksAndEachTrainingStepANewOne) {
  nn::Dropout a(0.5f, 5), b(0.5f, 5);
  Tensor x({1, 200}, 1.0f), ya({1, 200}), yb({1, 200});
  a.set_training(true);
  b.set_training(true);
  a.forward(x, ya, 1);
  b.forward(x, yb, 1);
  EXPECT_EQ(ya.values(), yb.values());
  a.set_training(true);
  a.forward(x, ya, 1);
  EXPECT_NE(ya.values(), yb.values());
}

TEST(Dropout, GradientMatchesFiniteDifferencesWithAFixedMask) {
  nn::Dropout dropout(0.4f, 9);
  dropout.set_training(true);  // the mask stays fixed until the next set_training(true)
  Rng rng(2);
  Tensor x({3, 2, 4, 4});
  test::fill_away_from_zero(x, rng);
  test::expect_gradients_match(dropout, x, 3);
}

TEST(Dropout, RefusesARateOutsideZeroToOne) {
  EXPECT_THROW(nn::Dropout(1.0f, 1), Error);
  EXPECT_THROW(nn::Dropout(-0.1f, 1), Error);
}

TEST(Dropout, BackwardInputEqualsBackwardsDxInTrainingAndEvaluation) {
  nn::Dropout layer(0.3f, 9);
  Rng rng(15);
  Tensor x({4, 20});
  test::fill_away_from_zero(x, rng);
  layer.set_training(true);
  test::expect_input_gradient_matches_backward(layer, x, 4);
  layer.set_training(false);
  test::expect_input_gradient_matches_backward(layer, x, 4);
}
