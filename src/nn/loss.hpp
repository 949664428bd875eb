#pragma once
// Losses over a batch of outputs z (B, K) and targets t (B, K).
//   squared_error:          L = 1/2 sum_k (z_k - t_k)^2            (TensorFlow Playground's)
//   binary_cross_entropy:   z are logits, t in {0, 1}: L = -t log s(z) - (1 - t) log(1 - s(z))
//   softmax_cross_entropy:  z are logits, t one-hot:   L = -sum_k t_k log softmax(z)_k
#include <string>
#include <string_view>
#include <vector>

namespace netlens::nn {

enum class Loss { SquaredError, BinaryCrossEntropy, SoftmaxCrossEntropy };

std::string_view loss_name(Loss l);
std::vector<std::string_view> loss_names();  // every name, in the order users see them
Loss parse_loss(std::string_view name, const std::string& where);  // throws Error

// Sum of the per-sample losses over `batch` rows (accumulated in double).
double loss_sum(Loss l, const float* z, const float* t, int batch, int k);

// grad = scale * dL/dz for each row; scale = 1/B gives the gradient of the batch mean.
void loss_gradient(Loss l, const float* z, const float* t, int batch, int k, float scale, float* grad);

// The class an output row z predicts, and the class a target row t encodes: the argmax for
// k >= 2; for one output, 1 when z >= 0 (a tanh output or a logit) and when t is above the
// middle of the loss's target range (0 for labels +-1, 0.5 for labels 0/1).
int output_class(Loss l, const float* z, int k);
int target_class(Loss l, const float* t, int k);

}  // namespace netlens::nn
