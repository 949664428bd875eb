#include "core/tensor.hpp"

#include <gtest/gtest.h>

using netlens::Tensor;

TEST(Tensor, SizeIsTheProductOfItsShape) {
  Tensor t({3, 4, 5}, 1.5f);
  EXPECT_EQ(t.size(), 60u);
  EXPECT_EQ(t.dim(1), 4);
  EXPECT_FLOAT_EQ(t[59], 1.5f);
  t.fill(-2.0f);
  EXPECT_FLOAT_EQ(t[0], -2.0f);
}

TEST(Tensor, ShapeStringListsTheDimensions) {
  EXPECT_EQ(netlens::shape_string({10, 8}), "[10, 8]");
  EXPECT_EQ(netlens::shape_string({}), "[]");
}
