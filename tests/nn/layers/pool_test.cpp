#include "nn/layers/pool.hpp"

#include <gtest/gtest.h>

#include <numeric>

#include "core/error.hpp"
#include "support/gradient_check.hpp"
#include "support/input_gradient_check.hpp"

using namespace netlens;

namespace {
// Distinct values 0.05 apart in random order, so no window has a near tie a finite difference
// could cross.
Tensor distinct_values(Shape shape, Rng& rng) {
  Tensor t(std::move(shape));
  std::vector<int> order(t.size());
  std::iota(order.begin(), order.end(), 0);
  rng.shuffle(order);
  for (std::size_t i = 0; i < t.size(); ++i) t[i] = 0.05f * static_cast<float>(order[i]) - 1.0f;
  return t;
}
}  // namespace

TEST(MaxPool2D, TakesTheMaximumOfEachWindow) {
  nn::MaxPool2D pool({1, 4, 4, 2, 2});
  Tensor x({1, 1, 4, 4}), y({1, 1, 2, 2});
  for (int i = 0; i < 16; ++i) x[static_cast<std::size_t>(i)] = static_cast<float>((i * 7) % 16);
  pool.forward(x, y, 1);
  // windows: {0,7,12,3} {14,5,10,1} {8,15,4,11} {6,13,2,9}
  EXPECT_EQ(y[0], 12.0f);
  EXPECT_EQ(y[1], 14.0f);
  EXPECT_EQ(y[2], 15.0f);
  EXPECT_EQ(y[3], 13.0f);
}

// A tie has no derivative; the gradient goes to the window's first maximum in reading order,
// in the 2 x 2 windows' own loop and in the general one (3 x 3 windows here) alike.
TEST(MaxPool2D, ATieSendsTheGradientToTheFirstMaximum) {
  for (const int f : {2, 3}) {
    nn::MaxPool2D pool({1, f, f, f, f});
    Tensor x({1, 1, f, f}), y({1, 1, 1, 1}), dy({1, 1, 1, 1}, 2.0f), dx({1, 1, f, f}, 9.0f);
    x[1] = x[static_cast<std::size_t>(f)] = 5.0f;  // (0, 1) and (1, 0); the rest 0
    pool.forward(x, y, 1);
    pool.backward(x, y, dy, &dx, 1);
    EXPECT_EQ(y[0], 5.0f);
    for (std::size_t i = 0; i < dx.size(); ++i) EXPECT_EQ(dx[i], i == 1 ? 2.0f : 0.0f) << f << "x" << f << " at " << i;
  }
}

TEST(MaxPool2D, GradientMatchesFiniteDifferences) {
  Rng rng(91);
  // tiling windows, tiling windows that leave a row and a column uncovered, overlapping
  // windows, windows with gaps between them
  for (const nn::Pool2DShape s : {nn::Pool2DShape{2, 6, 6, 2, 2}, nn::Pool2DShape{2, 5, 5, 2, 2},
                                  nn::Pool2DShape{1, 7, 5, 3, 2}, nn::Pool2DShape{1, 8, 7, 2, 3}}) {
    nn::MaxPool2D pool(s);
    test::expect_gradients_match(pool, distinct_values({2, s.channels, s.height, s.width}, rng), 2);
  }
}

// Every dx value is written, also where no window reaches (the last row and column of a 5 x 5
// input under 2 x 2 windows, the gaps between 2 x 2 windows 3 apart): dx may start dirty.
TEST(MaxPool2D, InputGradientOverwritesADirtyDx) {
  for (const nn::Pool2DShape s : {nn::Pool2DShape{1, 5, 5, 2, 2}, nn::Pool2DShape{1, 8, 8, 2, 3}}) {
    nn::MaxPool2D pool(s);
    Rng rng(93);
    const Tensor x = distinct_values({1, 1, s.height, s.width}, rng);
    Tensor dy({1, 1, s.out_height(), s.out_width()}, 1.0f), clean({1, 1, s.height, s.width}),
        dirty({1, 1, s.height, s.width}, 7.0f);
    pool.backward_input(x, Tensor{}, dy, clean, 1);  // y: MaxPool2D does not read it
    pool.backward_input(x, Tensor{}, dy, dirty, 1);
    float total = 0;
    for (std::size_t i = 0; i < clean.size(); ++i) {
      ASSERT_EQ(clean[i], dirty[i]) << i;
      total += clean[i];
    }
    EXPECT_EQ(total, static_cast<float>(dy.size()));  // one gradient per window, no more
  }
}

// The 2x2 stride-2 windows run 16 at a time; on planes narrower and wider than 16 windows,
// with odd sizes and many ties (values from {0, 1, 2}), they give what plain loops give.
TEST(MaxPool2D, TwoByTwoWindowsMatchPlainLoops) {
  Rng rng(94);
  for (const nn::Pool2DShape s : {nn::Pool2DShape{3, 26, 26, 2, 2}, nn::Pool2DShape{2, 11, 11, 2, 2},
                                  nn::Pool2DShape{1, 9, 70, 2, 2}, nn::Pool2DShape{2, 35, 2, 2, 2}}) {
    nn::MaxPool2D pool(s);
    const int batch = 3, oh = s.out_height(), ow = s.out_width();
    Tensor x({batch, s.channels, s.height, s.width}), y({batch, s.channels, oh, ow}), dy(y.shape()),
        dx(x.shape(), 5.0f);
    for (auto& v : x.values()) v = static_cast<float>(static_cast<int>(rng.uniform(0, 3)));
    test::fill_away_from_zero(dy, rng);
    pool.forward(x, y, batch);
    pool.backward(x, y, dy, &dx, batch);
    Tensor want_dx(x.shape());
    for (int p = 0; p < batch * s.channels; ++p)
      for (int oy = 0; oy < oh; ++oy)
        for (int ox = 0; ox < ow; ++ox) {
          std::size_t best = 0;
          float top = -1;
          for (int i = 0; i < 2; ++i)
            for (int j = 0; j < 2; ++j) {
              const auto at = (static_cast<std::size_t>(p) * s.height + 2 * oy + i) * s.width + 2 * ox + j;
              if (x[at] > top) top = x[at], best = at;
            }
          const auto out = (static_cast<std::size_t>(p) * oh + oy) * ow + ox;
          ASSERT_EQ(y[out], top) << "y at " << out;
          want_dx[best] = dy[out];
        }
    for (std::size_t i = 0; i < dx.size(); ++i) ASSERT_EQ(dx[i], want_dx[i]) << "dx at " << i;
  }
}

TEST(AvgPool2D, AveragesAndItsGradientMatchesFiniteDifferences) {
  nn::AvgPool2D pool({1, 2, 2, 2, 2});
  Tensor x({1, 1, 2, 2}), y({1, 1, 1, 1});
  x.values() = {1, 2, 3, 6};
  pool.forward(x, y, 1);
  EXPECT_FLOAT_EQ(y[0], 3.0f);
  Rng rng(92);
  nn::AvgPool2D overlapping({2, 7, 6, 3, 2});
  Tensor x2({2, 2, 7, 6});
  test::fill_away_from_zero(x2, rng);
  test::expect_gradients_match(overlapping, x2, 2);
}

TEST(Pool2D, RefusesAnInputSmallerThanItsWindow) {
  try {
    nn::MaxPool2D({4, 2, 2, 3, 1});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("2x2 input is smaller than the 3x3 window"), std::string::npos) << e.what();
  }
}

TEST(Pool2D, BackwardInputEqualsBackwardsDx) {
  Rng rng(13);
  Tensor x({3, 2, 6, 6});
  test::fill_away_from_zero(x, rng);
  nn::MaxPool2D max_pool({2, 6, 6, 2, 2});
  nn::AvgPool2D avg_pool({2, 6, 6, 3, 1});
  test::expect_input_gradient_matches_backward(max_pool, x, 3);
  test::expect_input_gradient_matches_backward(avg_pool, x, 3);
}
