#include "export/timeline_frames.hpp"

#include <gtest/gtest.h>

namespace netlens::exports {
namespace {

TEST(FrameTitle, ShowsAFractionOfAnEpochOnlyEarlyAndNeverAsPointZero) {
  EXPECT_EQ(frame_title(0, 0.69314), "epoch 0  test loss 0.6931");  // was "epoch 0.0"
  EXPECT_EQ(frame_title(2.4, 0.5), "epoch 2.4  test loss 0.5000");
  EXPECT_EQ(frame_title(3.98, 0.5), "epoch 4  test loss 0.5000");
  EXPECT_EQ(frame_title(1240.4, 0.01), "epoch 1240  test loss 0.0100");
}

}  // namespace
}  // namespace netlens::exports
