#include "data/features.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"

using namespace netlens;

TEST(Features, ComputesEveryPlaygroundFeature) {
  float out[7];
  data::compute_features(data::all_features(), 2.0f, -3.0f, out);
  EXPECT_FLOAT_EQ(out[0], 2.0f);
  EXPECT_FLOAT_EQ(out[1], -3.0f);
  EXPECT_FLOAT_EQ(out[2], 4.0f);
  EXPECT_FLOAT_EQ(out[3], 9.0f);
  EXPECT_FLOAT_EQ(out[4], -6.0f);
  EXPECT_FLOAT_EQ(out[5], std::sin(2.0f));
  EXPECT_FLOAT_EQ(out[6], std::sin(-3.0f));
}

TEST(Features, NamesRoundTripAndUnknownOnesAreRefused) {
  for (auto f : data::all_features()) EXPECT_EQ(data::parse_feature(data::feature_name(f), "features[0]"), f);
  EXPECT_THROW(data::parse_feature("cos_x1", "features[0]"), Error);
}
