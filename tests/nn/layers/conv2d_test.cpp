#include "nn/layers/conv2d.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "support/gradient_check.hpp"
#include "support/input_gradient_check.hpp"

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

// The same seven loops backwards: dx, dW and db of the plain convolution, in double.
struct Gradients {
  Tensor dx, dw, db;
};
Gradients reference_gradients(const nn::Conv2DShape& s, const Tensor& x, const Tensor& w, const Tensor& dy, int batch) {
  const int oh = s.out_height(), ow = s.out_width();
  std::vector<double> dx(x.size()), dw(w.size()), db(static_cast<std::size_t>(s.out_channels));
  for (int n = 0; n < batch; ++n)
    for (int k = 0; k < s.out_channels; ++k)
      for (int oy = 0; oy < oh; ++oy)
        for (int ox = 0; ox < ow; ++ox) {
          const double g = dy[static_cast<std::size_t>(((n * s.out_channels + k) * oh + oy) * ow + ox)];
          db[static_cast<std::size_t>(k)] += g;
          for (int c = 0; c < s.in_channels; ++c)
            for (int i = 0; i < s.filter; ++i)
              for (int j = 0; j < s.filter; ++j) {
                const int iy = oy * s.stride + i - s.padding, ix = ox * s.stride + j - s.padding;
                if (iy < 0 || iy >= s.height || ix < 0 || ix >= s.width) continue;
                const auto wi = static_cast<std::size_t>(((k * s.in_channels + c) * s.filter + i) * s.filter + j);
                const auto xi = static_cast<std::size_t>(((n * s.in_channels + c) * s.height + iy) * s.width + ix);
                dw[wi] += g * x[xi];
                dx[xi] += g * w[wi];
              }
        }
  auto to_tensor = [](const std::vector<double>& v, Shape shape) {
    Tensor t(std::move(shape));
    for (std::size_t i = 0; i < v.size(); ++i) t[i] = static_cast<float>(v[i]);
    return t;
  };
  return {to_tensor(dx, x.shape()), to_tensor(dw, w.shape()), to_tensor(db, {s.out_channels})};
}

void expect_near(const Tensor& got, const Tensor& want, const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (std::size_t i = 0; i < got.size(); ++i)
    ASSERT_NEAR(got[i], want[i], 1e-4 * (1 + std::abs(want[i]))) << what << " at " << i;
}

// Odd shapes for the direct kernel's edges: rows and columns that are not multiples of its
// tiles (3 rows, 16 columns, 8 channels), filters wider than its 3-column gradient tile,
// strides whose phases split the input, padding as wide as the filter, and the two layers of
// the MNIST CNNs.
const nn::Conv2DShape kOddShapes[] = {
    {1, 28, 28, 8, 3, 1, 0},  {8, 13, 13, 16, 3, 1, 0}, {8, 14, 14, 16, 3, 1, 1}, {3, 11, 9, 5, 3, 1, 0},
    {2, 20, 35, 17, 3, 1, 2}, {2, 10, 7, 9, 5, 2, 2},   {3, 9, 12, 4, 4, 3, 1},   {1, 7, 7, 2, 1, 1, 0},
    {4, 6, 6, 3, 2, 2, 3},    {1, 40, 3, 1, 7, 1, 3},   {5, 17, 19, 11, 6, 4, 0}};
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

TEST(Conv2D, DirectKernelMatchesTheReferenceOnOddShapes) {
  Rng rng(84);
  for (const auto& s : kOddShapes) {
    nn::Conv2D conv(s);
    conv.init(rng);
    for (auto& v : conv.bias().values()) v = static_cast<float>(rng.uniform(-1, 1));
    const int batch = 5;
    Tensor x({batch, s.in_channels, s.height, s.width}), dy({batch, s.out_channels, s.out_height(), s.out_width()});
    test::fill_away_from_zero(x, rng);
    test::fill_away_from_zero(dy, rng);
    Tensor y(dy.shape()), dx(x.shape(), 7.0f);  // dx starts dirty: backward must overwrite it
    conv.forward(x, y, batch);
    expect_near(y, reference_conv(s, x, conv.weight(), conv.bias(), batch), conv.name() + " y");
    conv.backward(x, y, dy, &dx, batch);
    const Gradients want = reference_gradients(s, x, conv.weight(), dy, batch);
    expect_near(dx, want.dx, conv.name() + " dx");
    expect_near(*conv.params()[0].grad, want.dw, conv.name() + " dW");
    expect_near(*conv.params()[1].grad, want.db, conv.name() + " db");
  }
}

// backward_input writes dx alone: the weight gradients stay as they were, and calls from
// several threads at once each get the right answer.
TEST(Conv2D, InputGradientAloneIsConstAndThreadSafe) {
  const nn::Conv2DShape s{8, 13, 13, 16, 3, 1, 0};
  Rng rng(85);
  nn::Conv2D conv(s);
  conv.init(rng);
  const int batch = 4;
  Tensor x({batch, s.in_channels, s.height, s.width}), dy({batch, s.out_channels, s.out_height(), s.out_width()});
  test::fill_away_from_zero(x, rng);
  test::fill_away_from_zero(dy, rng);
  conv.params()[0].grad->fill(3.0f);
  const Gradients want = reference_gradients(s, x, conv.weight(), dy, batch);
  const nn::Conv2D& frozen = conv;
  std::vector<Tensor> dxs(4, Tensor(x.shape()));
  std::vector<std::thread> threads;
  for (auto& dx : dxs) threads.emplace_back([&frozen, &x, &dy, &dx] { frozen.backward_input(x, Tensor{}, dy, dx, batch); });  // y: Conv2D reads none
  for (auto& t : threads) t.join();
  for (const auto& dx : dxs) expect_near(dx, want.dx, "dx");
  for (float v : conv.params()[0].grad->values()) ASSERT_EQ(v, 3.0f);
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

// Threads share a batch in chunks, each summing its own gradients before they are added up:
// each sample's outputs and input gradients are its own, and the batch's weight gradients the
// sums of its samples', for a large input (40 x 40, 5 x 5 filters) and a small one.
TEST(Conv2D, ABatchGivesWhatItsSamplesGiveOneByOne) {
  for (const nn::Conv2DShape s : {nn::Conv2DShape{3, 40, 40, 4, 5, 1, 2}, nn::Conv2DShape{1, 8, 8, 3, 3, 1, 1}}) {
    Rng rng(83);
    nn::Conv2D conv(s);
    conv.init(rng);
    const int batch = 11;
    const std::size_t in = static_cast<std::size_t>(s.in_channels) * s.height * s.width;
    const std::size_t out = static_cast<std::size_t>(s.out_channels) * s.out_height() * s.out_width();
    Tensor x({batch, s.in_channels, s.height, s.width}), dy({batch, s.out_channels, s.out_height(), s.out_width()});
    test::fill_away_from_zero(x, rng);
    test::fill_away_from_zero(dy, rng);
    Tensor y(dy.shape()), dx(x.shape());
    conv.forward(x, y, batch);
    conv.backward(x, y, dy, &dx, batch);
    const Tensor dw = *conv.params()[0].grad, db = *conv.params()[1].grad;

    Tensor dw_sum(dw.shape()), db_sum(db.shape());
    for (int n = 0; n < batch; ++n) {
      Tensor xn({1, s.in_channels, s.height, s.width}), dyn({1, s.out_channels, s.out_height(), s.out_width()});
      std::copy_n(x.data() + n * in, in, xn.data());
      std::copy_n(dy.data() + n * out, out, dyn.data());
      Tensor yn(dyn.shape()), dxn(xn.shape());
      conv.forward(xn, yn, 1);
      conv.backward(xn, yn, dyn, &dxn, 1);
      for (std::size_t i = 0; i < out; ++i) ASSERT_NEAR(y[n * out + i], yn[i], 1e-4) << "y of sample " << n;
      for (std::size_t i = 0; i < in; ++i) ASSERT_NEAR(dx[n * in + i], dxn[i], 1e-4) << "dx of sample " << n;
      for (std::size_t i = 0; i < dw.size(); ++i) dw_sum[i] += (*conv.params()[0].grad)[i];
      for (std::size_t i = 0; i < db.size(); ++i) db_sum[i] += (*conv.params()[1].grad)[i];
    }
    for (std::size_t i = 0; i < dw.size(); ++i) ASSERT_NEAR(dw[i], dw_sum[i], 1e-3 * (1 + std::abs(dw_sum[i]))) << "dW " << i;
    for (std::size_t i = 0; i < db.size(); ++i) ASSERT_NEAR(db[i], db_sum[i], 1e-3 * (1 + std::abs(db_sum[i]))) << "db " << i;
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

TEST(Conv2D, BackwardInputEqualsBackwardsDx) {
  Rng rng(12);
  for (const nn::Conv2DShape& s : {nn::Conv2DShape{1, 7, 7, 3, 3, 1, 1}, nn::Conv2DShape{2, 9, 8, 4, 3, 2, 1}}) {
    nn::Conv2D layer(s);
    layer.init(rng);
    Tensor x({5, s.in_channels, s.height, s.width});
    test::fill_away_from_zero(x, rng);
    test::expect_input_gradient_matches_backward(layer, x, 5);
  }
}
