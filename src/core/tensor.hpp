#pragma once
// Tensor: a float32 buffer with a shape, row-major. The first dimension is the batch.
// Tensors are sized once (when a network or workspace is built) and reused afterwards.
#include <cstddef>
#include <numeric>
#include <functional>
#include <string>
#include <vector>

namespace netlens {

using Shape = std::vector<int>;

inline std::size_t shape_size(const Shape& s) {
  return std::accumulate(s.begin(), s.end(), std::size_t{1}, std::multiplies<>());
}
std::string shape_string(const Shape& s);  // "[10, 8]"

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(Shape shape, float fill = 0.0f) : shape_(std::move(shape)), data_(shape_size(shape_), fill) {}

  const Shape& shape() const { return shape_; }
  int dim(int i) const { return shape_[static_cast<std::size_t>(i)]; }
  std::size_t size() const { return data_.size(); }
  float* data() { return data_.data(); }
  const float* data() const { return data_.data(); }
  float& operator[](std::size_t i) { return data_[i]; }
  float operator[](std::size_t i) const { return data_[i]; }
  std::vector<float>& values() { return data_; }
  const std::vector<float>& values() const { return data_; }
  void fill(float v) { std::fill(data_.begin(), data_.end(), v); }

 private:
  Shape shape_;
  std::vector<float> data_;
};

}  // namespace netlens
