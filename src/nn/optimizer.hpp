#pragma once
// Optimizers that update a network's parameters from their gradients, with optional L1 or L2
// regularization of the weights (never the biases). All state is allocated at construction.
//   sgd:       w -= lr g
//   momentum:  v = mu v + g;  w -= lr v                                    (PyTorch's form)
//   adam:      m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;
//              w -= lr (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)
// with g = dL/dw + rate * w for L2 (the penalty w^2 / 2, TensorFlow Playground's definition).
// L1 (the penalty |w|) is TensorFlow Playground's own step after the optimizer's:
//   w' = w - lr rate sign(w_before)
// and a weight that step would carry across zero becomes exactly 0 and its link is dead: it is
// never updated again until reset(), so L1's sparse picture appears.
#include <string>
#include <string_view>
#include <vector>

#include "nn/layers/layer.hpp"

namespace netlens::nn {

enum class OptimizerKind { SGD, Momentum, Adam };
enum class Regularization { None, L1, L2 };

std::string_view optimizer_name(OptimizerKind k);
std::vector<std::string_view> optimizer_names();  // every name, in the order users see them
OptimizerKind parse_optimizer(std::string_view name, const std::string& where);
std::string_view regularization_name(Regularization r);
std::vector<std::string_view> regularization_names();  // every name, in the order users see them
Regularization parse_regularization(std::string_view name, const std::string& where);

struct OptimizerConfig {
  OptimizerKind kind = OptimizerKind::SGD;
  float learning_rate = 0.03f;
  float momentum = 0.9f;
  float beta1 = 0.9f, beta2 = 0.999f, epsilon = 1e-8f;
  Regularization regularization = Regularization::None;
  float regularization_rate = 0.0f;
};

class Optimizer {
 public:
  Optimizer(const OptimizerConfig& config, std::vector<Param> params);
  void step();   // one update of every parameter from its gradient
  void reset();  // forget the moments and the step count; every link alive again
  long dead_links() const;  // weights an L1 step set to 0 for good
  void set_learning_rate(float rate) { config_.learning_rate = rate; }  // for a schedule
  // New settings from the next step on, the weights untouched: another kind starts its moments
  // and step count afresh; leaving L1 revives the dead links; the rest carries on.
  void configure(const OptimizerConfig& config);

 private:
  OptimizerConfig config_;
  std::vector<Param> params_;
  std::vector<std::vector<float>> m_, v_;  // first and second moments (momentum uses m_)
  std::vector<std::vector<unsigned char>> dead_;  // per L1-regularized weight: 1 once dead

  // m_ and v_ for the config's kind (zeroed when `fresh_moments`), dead_ for its regularization.
  void size_state(bool fresh_moments);
  long t_ = 0;
};

}  // namespace netlens::nn
