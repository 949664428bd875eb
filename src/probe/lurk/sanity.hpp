#pragma once
// The model-parameter randomisation test (Adebayo et al. 2018): the weights are re-drawn layer
// by layer from the top down (cascading), and after each step every method's map is compared
// with the trained model's by Spearman rank correlation of |map| (Quantus's defaults). A method
// that explains the model decorrelates; one that only reflects the input (guided backprop is
// known to) stays high. Each tensor is re-drawn from N(0, its trained root mean square), so
// the scale is kept; the weights are put back afterwards, bit for bit.
#include <cstdint>
#include <string>
#include <vector>

#include "probe/lurk/attribution.hpp"

namespace netlens::probe::lurk {

struct SanityStep {
  int layer = -1;                   // the lowest layer randomised so far (-1: none, the trained model)
  std::string name;
  std::vector<double> correlation;  // per method, against the trained model's map
  std::vector<std::vector<float>> maps;  // per method, the map at this step (the input's shape)
};

// Spearman's rank correlation of |a| and |b| (ties get their mean rank); 0 when either is constant.
double spearman_abs(const std::vector<float>& a, const std::vector<float>& b);

// The steps: the trained model, then each conv or dense layer randomised in turn from the top.
std::vector<SanityStep> cascading_randomisation(nn::Network& network, const std::vector<float>& image,
                                                const std::vector<Method>& methods, const AttributionOptions& options,
                                                std::uint64_t seed = 42);

}  // namespace netlens::probe::lurk
