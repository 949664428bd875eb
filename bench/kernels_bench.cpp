// Micro-benchmarks of the engine's hot kernels (Google Benchmark), with the machine's peak.
//   build/release/bench/kernels_bench [--benchmark_filter=Matmul]
// Counters: GFLOPS is 2 x multiply-adds per second (single thread unless the name says so).
#include <benchmark/benchmark.h>
#include <cblas.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/kernels.hpp"
#include "core/parallel.hpp"
#include "core/rng.hpp"
#include "core/vmath.hpp"
#include "nn/layers/conv2d.hpp"
#include "nn/layers/pool.hpp"

using namespace netlens;

namespace {

std::vector<float> random_vector(std::size_t n) {
  Rng rng(1);
  std::vector<float> v(n);
  for (auto& x : v) x = static_cast<float>(rng.uniform(-1, 1));
  return v;
}

void set_gflops(benchmark::State& state, double macs_per_iteration) {
  state.counters["GFLOPS"] = benchmark::Counter(2.0 * macs_per_iteration * static_cast<double>(state.iterations()) * 1e-9,
                                                benchmark::Counter::kIsRate);
}

// Y = X W + b at the shapes of W4's layers (batch 128): args are B, I, O, threads.
void BM_MatmulBias(benchmark::State& state) {
  const int B = int(state.range(0)), I = int(state.range(1)), O = int(state.range(2));
  parallel::set_threads(int(state.range(3)));
  const auto X = random_vector(size_t(B) * I), W = random_vector(size_t(I) * O), b = random_vector(size_t(O));
  std::vector<float> Y(size_t(B) * O);
  for (auto _ : state) {
    kernels::matmul_bias(X.data(), W.data(), b.data(), Y.data(), B, I, O);
    benchmark::DoNotOptimize(Y.data());
  }
  set_gflops(state, double(B) * I * O);
}
BENCHMARK(BM_MatmulBias)->Args({128, 784, 128, 1})->Args({128, 128, 64, 1})->Args({128, 64, 10, 1})
    ->Args({10, 8, 8, 1})->Args({2500, 2, 1000, 1})->Args({5000, 2, 8, 1})->Args({5000, 8, 8, 1})->Args({5000, 8, 1, 1});

// OpenBLAS's sgemm on the same shapes, one thread, for comparison.
void BM_CblasSgemm(benchmark::State& state) {
  const int B = int(state.range(0)), I = int(state.range(1)), O = int(state.range(2));
  const auto X = random_vector(size_t(B) * I), W = random_vector(size_t(I) * O);
  std::vector<float> Y(size_t(B) * O);
  openblas_set_num_threads(1);
  for (auto _ : state) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, O, I, 1.0f, X.data(), I, W.data(), O, 0.0f, Y.data(), O);
    benchmark::DoNotOptimize(Y.data());
  }
  set_gflops(state, double(B) * I * O);
}
BENCHMARK(BM_CblasSgemm)->Args({128, 784, 128})->Args({128, 128, 64})->Args({128, 64, 10})->Args({10, 8, 8});

// The backward products at W4's first layer.
void BM_MatmulGradients(benchmark::State& state) {
  const int B = 128, I = 784, O = 128;
  parallel::set_threads(1);
  const auto X = random_vector(size_t(B) * I), W = random_vector(size_t(I) * O), dY = random_vector(size_t(B) * O);
  std::vector<float> dW(size_t(I) * O), dX(size_t(B) * I);
  for (auto _ : state) {
    kernels::matmul_at_b(X.data(), dY.data(), dW.data(), B, I, O);
    kernels::matmul_a_bt(dY.data(), W.data(), dX.data(), B, I, O);
    benchmark::DoNotOptimize(dX.data());
  }
  set_gflops(state, 2.0 * B * I * O);
}
BENCHMARK(BM_MatmulGradients);

void BM_TanhVmath(benchmark::State& state) {
  const auto x = random_vector(10000);
  std::vector<float> y(x.size());
  for (auto _ : state) {
    for (std::size_t i = 0; i < x.size(); ++i) y[i] = vmath::tanh(x[i]);
    benchmark::DoNotOptimize(y.data());
  }
  state.SetItemsProcessed(state.iterations() * int64_t(x.size()));
}
BENCHMARK(BM_TanhVmath);

void BM_TanhLibm(benchmark::State& state) {
  const auto x = random_vector(10000);
  std::vector<float> y(x.size());
  for (auto _ : state) {
    for (std::size_t i = 0; i < x.size(); ++i) y[i] = std::tanh(x[i]);
    benchmark::DoNotOptimize(y.data());
  }
  state.SetItemsProcessed(state.iterations() * int64_t(x.size()));
}
BENCHMARK(BM_TanhLibm);

// W5's convolutions on a batch of 64, one thread: arg 0 picks the layer (0: 1 -> 8 on 28x28,
// 1: 8 -> 16 on 13x13), arg 1 the pass (0: forward, 1: backward, dx too for the second layer,
// as the network asks). GFLOPS counts the multiply-adds the pass needs, wasted lanes aside.
void BM_Conv2D(benchmark::State& state) {
  const bool second = state.range(0) == 1, backward = state.range(1) == 1;
  parallel::set_threads(1);
  const nn::Conv2DShape s = second ? nn::Conv2DShape{8, 13, 13, 16, 3, 1, 0} : nn::Conv2DShape{1, 28, 28, 8, 3, 1, 0};
  const int batch = 64;
  nn::Conv2D conv(s);
  Rng rng(2);
  conv.init(rng);
  Tensor x({batch, s.in_channels, s.height, s.width}), y({batch, s.out_channels, s.out_height(), s.out_width()});
  Tensor dy(y.shape()), dx(x.shape());
  x.values() = random_vector(x.size());
  dy.values() = random_vector(dy.size());
  for (auto _ : state) {
    if (backward)
      conv.backward(x, y, dy, second ? &dx : nullptr, batch);
    else
      conv.forward(x, y, batch);
    benchmark::DoNotOptimize(y.data());
    benchmark::DoNotOptimize(dx.data());
  }
  const double macs = double(batch) * s.out_channels * s.out_height() * s.out_width() * s.patch();
  set_gflops(state, backward && second ? 2 * macs : macs);
}
BENCHMARK(BM_Conv2D)->ArgsProduct({{0, 1}, {0, 1}});

// W5's first max-pool (8 channels, 26x26, 2x2), batch 64, one thread: forward, then dx.
void BM_MaxPool2x2(benchmark::State& state) {
  parallel::set_threads(1);
  const nn::Pool2DShape s{8, 26, 26, 2, 2};
  nn::MaxPool2D pool(s);
  Tensor x({64, 8, 26, 26}), y({64, 8, 13, 13}), dx(x.shape());
  x.values() = random_vector(x.size());
  for (auto _ : state) {
    if (state.range(0) == 0)
      pool.forward(x, y, 64);
    else
      pool.backward_input(x, y, y, dx, 64);  // y stands in for dy: same shape
    benchmark::DoNotOptimize(dx.data());
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(x.size()) * 4);
}
BENCHMARK(BM_MaxPool2x2)->Arg(0)->Arg(1);

// The core's peak: independent chains of fused multiply-adds on the widest vectors the compiler
// targets (-march=native: 16 floats with AVX-512, 8 with AVX2, 4 with SSE), enough chains to
// cover the FMA latency on every pipe and few enough to stay in registers with the two
// operands: 16 of AVX-512's 32 registers, 12 of AVX2's 16 (16 chains of 8 spilled here).
#if defined(__AVX512F__)
constexpr int kPeakBytes = 64, kPeakChains = 16;
#elif defined(__AVX__)
constexpr int kPeakBytes = 32, kPeakChains = 12;
#else
constexpr int kPeakBytes = 16, kPeakChains = 12;
#endif
void BM_PeakFma(benchmark::State& state) {
  using V = float __attribute__((vector_size(kPeakBytes)));
  constexpr int kLanes = kPeakBytes / 4, kInner = 256;
  V acc[kPeakChains];
  for (int c = 0; c < kPeakChains; ++c)
    for (int j = 0; j < kLanes; ++j) acc[c][j] = float(c + j) * 1e-3f;
  V a, b;
  for (int j = 0; j < kLanes; ++j) a[j] = 0.999f, b[j] = 1e-4f;
  for (auto _ : state) {
    for (int i = 0; i < kInner; ++i)
#pragma GCC unroll 16
      for (int c = 0; c < kPeakChains; ++c) acc[c] = acc[c] * a + b;
    benchmark::DoNotOptimize(acc);
  }
  state.counters["GFLOPS"] = benchmark::Counter(2.0 * kLanes * kPeakChains * kInner * double(state.iterations()) * 1e-9,
                                                benchmark::Counter::kIsRate);
  state.SetLabel(std::to_string(kPeakChains) + " chains of " + std::to_string(kLanes) + "-float FMAs");
}
BENCHMARK(BM_PeakFma);

}  // namespace

BENCHMARK_MAIN();
