#include "probe/lurk/top_k.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/rng.hpp"

using namespace netlens;
using namespace netlens::probe::lurk;

TEST(TopK, StreamingEqualsABruteForceSortWithTiesBrokenByImage) {
  Rng rng(3);
  for (int k : {1, 5, 9, 40}) {
    std::vector<TopEntry> all;
    TopK top(k);
    for (int i = 0; i < 300; ++i) {
      const TopEntry e{i, static_cast<float>(rng.below(20)), 0, 0};  // few distinct scores: many ties
      all.push_back(e);
      top.offer(e);
    }
    std::stable_sort(all.begin(), all.end(), ranks_before);
    all.resize(static_cast<std::size_t>(k));
    EXPECT_EQ(top.entries(), all) << "k " << k;
  }
}
