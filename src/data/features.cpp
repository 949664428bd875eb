#include "data/features.hpp"

#include <cmath>

#include "core/names.hpp"

namespace netlens::data {

namespace {
constexpr NameTable<Feature, 7> kFeatureNames{{
    {Feature::X1, "x1"},
    {Feature::X2, "x2"},
    {Feature::X1Squared, "x1^2"},
    {Feature::X2Squared, "x2^2"},
    {Feature::X1X2, "x1x2"},
    {Feature::SinX1, "sin_x1"},
    {Feature::SinX2, "sin_x2"},
}};

float feature_value(Feature f, float x1, float x2) {
  switch (f) {
    case Feature::X1: return x1;
    case Feature::X2: return x2;
    case Feature::X1Squared: return x1 * x1;
    case Feature::X2Squared: return x2 * x2;
    case Feature::X1X2: return x1 * x2;
    case Feature::SinX1: return std::sin(x1);
    case Feature::SinX2: return std::sin(x2);
  }
  return 0.0f;
}
}  // namespace

std::string_view feature_name(Feature f) { return name_of(kFeatureNames, f); }

Feature parse_feature(std::string_view name, const std::string& where) {
  return parse_name(kFeatureNames, name, where, "feature");
}

const std::vector<Feature>& all_features() {
  static const std::vector<Feature> all{Feature::X1,    Feature::X2,    Feature::X1Squared, Feature::X2Squared,
                                        Feature::X1X2, Feature::SinX1, Feature::SinX2};
  return all;
}

void compute_features(const std::vector<Feature>& features, float x1, float x2, float* out) {
  for (std::size_t i = 0; i < features.size(); ++i) out[i] = feature_value(features[i], x1, x2);
}

}  // namespace netlens::data
