#include "nn/loss.hpp"

#include <algorithm>
#include <cmath>

#include "core/names.hpp"
#include "nn/layers/softmax.hpp"

namespace netlens::nn {

namespace {
constexpr NameTable<Loss, 3> kLossNames{{
    {Loss::SquaredError, "squared_error"},
    {Loss::BinaryCrossEntropy, "binary_cross_entropy"},
    {Loss::SoftmaxCrossEntropy, "softmax_cross_entropy"},
}};

// log(1 + e^x) without overflow.
double softplus(double x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }
}  // namespace

std::vector<std::string_view> loss_names() { return names_of(kLossNames); }
std::string_view loss_name(Loss l) { return name_of(kLossNames, l); }

Loss parse_loss(std::string_view name, const std::string& where) { return parse_name(kLossNames, name, where, "loss"); }

double loss_sum(Loss l, const float* z, const float* t, int batch, int k) {
  double sum = 0.0;
  const int n = batch * k;
  switch (l) {
    case Loss::SquaredError:
      for (int i = 0; i < n; ++i) sum += 0.5 * (double(z[i]) - t[i]) * (double(z[i]) - t[i]);
      break;
    case Loss::BinaryCrossEntropy:  // L = softplus(z) - t z
      for (int i = 0; i < n; ++i) sum += softplus(z[i]) - double(t[i]) * z[i];
      break;
    case Loss::SoftmaxCrossEntropy:  // L = logsumexp(z) - sum_k t_k z_k
      for (int r = 0; r < batch; ++r) {
        const float* zr = z + r * k;
        const float* tr = t + r * k;
        const double m = *std::max_element(zr, zr + k);
        double se = 0.0, tz = 0.0;
        for (int j = 0; j < k; ++j) {
          se += std::exp(zr[j] - m);
          tz += double(tr[j]) * zr[j];
        }
        sum += m + std::log(se) - tz;
      }
      break;
  }
  return sum;
}

void loss_gradient(Loss l, const float* z, const float* t, int batch, int k, float scale, float* grad) {
  const int n = batch * k;
  switch (l) {
    case Loss::SquaredError:  // dL/dz = z - t
      for (int i = 0; i < n; ++i) grad[i] = scale * (z[i] - t[i]);
      break;
    case Loss::BinaryCrossEntropy:  // dL/dz = s(z) - t
      for (int i = 0; i < n; ++i) grad[i] = scale * (1.0f / (1.0f + std::exp(-z[i])) - t[i]);
      break;
    case Loss::SoftmaxCrossEntropy:  // dL/dz = softmax(z) - t
      for (int r = 0; r < batch; ++r) {
        softmax_row(z + r * k, grad + r * k, k);
        for (int j = 0; j < k; ++j) grad[r * k + j] = scale * (grad[r * k + j] - t[r * k + j]);
      }
      break;
  }
}

int output_class(Loss, const float* z, int k) {
  if (k == 1) return z[0] >= 0.0f;
  return static_cast<int>(std::max_element(z, z + k) - z);
}

int target_class(Loss l, const float* t, int k) {
  if (k == 1) return t[0] >= (l == Loss::BinaryCrossEntropy ? 0.5f : 0.0f);
  return static_cast<int>(std::max_element(t, t + k) - t);
}

}  // namespace netlens::nn
