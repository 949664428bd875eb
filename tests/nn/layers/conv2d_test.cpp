#include "nn/layers/conv2d.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "support/gradient_check.hpp"

using namespace netlens;

namespace {
// y[n][k][oy][ox] = b[k] + sum_{c,i,j} W[k][c][i][j] x[n][c][oy*S+i-P][ox*S+j-P]: seven plain loops.
Tensor reference_conv(const nn::Conv2DShape& s, const Tensor& x, const Tensor& w, const Tensor& b, int batch) {
  const int oh = s.out_height(), ow = s.out_width();
  Tensor y({batch, s.out_channels, oh, ow});
  for (int n = 0; n < batch; ++n)
    for (int k = 0; k < s.out_channels; ++k)
      for (int oy = 0; oy < oh; ++oy)
        for (int ox = 0; ox < ow; ++ox) {
          double sum = b[static_cast<std::size_t>(k)];
          for (int c = 0; c < s.in_channels; ++c)
            for (int i = 0; i < s.filter; ++i)
              for (int j = 0; j < s.filter; ++j) {
                const int iy = oy * s.stride + i - s.padding, ix = ox * s.stride + j - s.padding;
                if (iy < 0 || iy >= s.height || ix < 0 || ix >= s.width) continue;
                sum += double(w[static_cast<std::size_t>(((k * s.in_channels + c) * s.filter + i) * s.filter + j)]) *
                       x[static_cast<std::size_t>(((n * s.in_channels + c) * s.height + iy) * s.width + ix)];
              }
          y[static_cast<std::size_t>(((n * s.out_channels + k) * oh + oy) * ow + ox)] = static_cast<float>(sum);
        }
  return y;
}
}  // namespace

TEST(Conv2D, MatchesAPlainReferenceConvolution) {
  const nn::Conv2DShape shapes[] = {
      {1, 7, 7, 3, 3, 1, 0}, {2, 8, 5, 4, 3, 2, 1}, {3, 6, 6, 2, 1, 1, 0}, {2, 9, 9, 5, 4, 3, 2}};
  Rng rng(81);
  for (const auto& s : shapes) {
    nn::Conv2D conv(s);
    conv.init(rng);
    for (auto& v : conv.bias().values()) v = static_cast<float>(rng.uniform(-1, 1));
    const int batch = 3;
    Tensor x({batch, s.in_channels, s.height, s.width});
    test::fill_away_from_zero(x, rng);
    Tensor y({batch, s.out_channels, s.out_height(), s.out_width()});
    conv.forward(x, y, batch);
    const Tensor want = reference_conv(s, x, conv.weight(), conv.bias(), batch);
    for (std::size_t i = 0; i < y.size(); ++i) ASSERT_NEAR(y[i], want[i], 1e-4) << conv.name() << " at " << i;
  }
}

TEST(Conv2D, GradientMatchesFiniteDifferences) {
  for (const nn::Conv2DShape s : {nn::Conv2DShape{2, 5, 5, 3, 3, 1, 1}, nn::Conv2DShape{1, 6, 7, 2, 2, 2, 0}}) {
    Rng rng(82);
    nn::Conv2D conv(s);
    conv.init(rng);
    Tensor x({2, s.in_channels, s.height, s.width});
    test::fill_away_from_zero(x, rng);
    test::expect_gradients_match(conv, x, 2, 7, 0.1f);  // linear in x and W
  }
}

TEST(Conv2D, RefusesAnInputSmallerThanItsFilter) {
  try {
    nn::Conv2D({1, 2, 2, 4, 3, 1, 0});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("2x2 input (padding 0) is smaller than the 3x3 filter"), std::string::npos)
        << e.what();
  }
}
