#pragma once
// The input features of TensorFlow Playground, computed from a point (x1, x2).
#include <string>
#include <string_view>
#include <vector>

namespace netlens::data {

enum class Feature { X1, X2, X1Squared, X2Squared, X1X2, SinX1, SinX2 };

std::string_view feature_name(Feature f);  // "x1", "x2", "x1^2", "x2^2", "x1x2", "sin_x1", "sin_x2"
Feature parse_feature(std::string_view name, const std::string& where);  // throws Error
const std::vector<Feature>& all_features();

// out[i] = features[i](x1, x2)
void compute_features(const std::vector<Feature>& features, float x1, float x2, float* out);

}  // namespace netlens::data
