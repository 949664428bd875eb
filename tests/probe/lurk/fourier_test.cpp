#include "probe/lurk/fourier.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "probe/lurk/reference_nets.hpp"

using namespace netlens;
using namespace netlens::probe::lurk;

TEST(FourierImage, TheAdjointIsTheTransposeForOddAndEvenSizes) {
  for (const auto& [h, w] : {std::pair{6, 6}, std::pair{7, 5}}) {
    const FourierImage f(2, h, w);
    const auto theta = test::random_image(static_cast<int>(f.parameters()), 1), g = test::random_image(2 * h * w, 2);
    std::vector<float> x(g.size()), gt(theta.size());
    f.image(theta.data(), x.data());
    f.adjoint(g.data(), gt.data());
    double left = 0, right = 0;
    for (std::size_t i = 0; i < x.size(); ++i) left += static_cast<double>(x[i]) * g[i];
    for (std::size_t i = 0; i < gt.size(); ++i) right += static_cast<double>(theta[i]) * gt[i];
    EXPECT_NEAR(left, right, 1e-3 * std::abs(left)) << h << "x" << w;  // <L t, g> = <t, L^T g>
  }
}

TEST(FourierImage, TheZeroFrequencyIsAConstantImageAndHighFrequenciesAreDamped) {
  const FourierImage f(1, 8, 8);
  std::vector<float> theta(f.parameters(), 0.0f), x(64);
  theta[0] = 1.0f;  // a at f = (0, 0): s = 1 / (1/8) = 8, x = 8 / sqrt(64) = 1
  f.image(theta.data(), x.data());
  for (float v : x) EXPECT_NEAR(v, 1.0f, 1e-5f);
  std::vector<float> low(f.parameters(), 0.0f), high(f.parameters(), 0.0f), xl(64), xh(64);
  low[1] = 1.0f;        // (0, 1): |f| = 1/8
  high[4 * 8 + 4] = 1;  // (4, 4): |f| = sqrt(1/8)
  f.image(low.data(), xl.data());
  f.image(high.data(), xh.data());
  double el = 0, eh = 0;
  for (int i = 0; i < 64; ++i) el += xl[static_cast<std::size_t>(i)] * xl[static_cast<std::size_t>(i)], eh += xh[static_cast<std::size_t>(i)] * xh[static_cast<std::size_t>(i)];
  EXPECT_GT(el, 4 * eh);
}
