#include "nn/layers/dropout.hpp"

#include "core/error.hpp"

namespace netlens::nn {

namespace {
std::uint64_t mix(std::uint64_t z) {  // splitmix64's finaliser
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
}  // namespace

Dropout::Dropout(float rate, std::uint64_t seed) : rate_(rate), seed_(seed) {
  if (!(rate >= 0.0f && rate < 1.0f)) throw Error("dropout", "rate must be in [0, 1), got " + std::to_string(rate));
}

std::string Dropout::name() const { return "Dropout(" + std::to_string(rate_).substr(0, 4) + ")"; }

void Dropout::set_training(bool training) {
  training_ = training;
  if (training) ++mask_;
}

bool Dropout::kept(std::size_t index) const {
  const std::uint64_t h = mix(seed_ * 0x9e3779b97f4a7c15ULL + mix(mask_ + 0x632be59bd9b4e019ULL * index));
  return static_cast<double>(h >> 11) * 0x1.0p-53 >= rate_;
}

// training: y = x m / (1 - rate), m ~ Bernoulli(1 - rate); evaluation: y = x
void Dropout::forward(const Tensor& x, Tensor& y, int batch) const {
  const std::size_t n = x.size() / static_cast<std::size_t>(x.dim(0)) * static_cast<std::size_t>(batch);
  const float scale = 1.0f / (1.0f - rate_);
  for (std::size_t i = 0; i < n; ++i) y[i] = training_ ? (kept(i) ? x[i] * scale : 0.0f) : x[i];
}

// dx = dy m / (1 - rate) (the same mask), or dy in evaluation
void Dropout::backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx, int batch) {
  if (dx) backward_input(x, y, dy, *dx, batch);
}

void Dropout::backward_input(const Tensor& x, const Tensor&, const Tensor& dy, Tensor& dx, int batch) const {
  const std::size_t n = x.size() / static_cast<std::size_t>(x.dim(0)) * static_cast<std::size_t>(batch);
  const float scale = 1.0f / (1.0f - rate_);
  for (std::size_t i = 0; i < n; ++i) dx[i] = training_ ? (kept(i) ? dy[i] * scale : 0.0f) : dy[i];
}

}  // namespace netlens::nn
