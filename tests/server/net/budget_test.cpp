#include "server/net/budget.hpp"

#include <gtest/gtest.h>

namespace netlens::server {
namespace {

TEST(Budget, ReservesUpToTheLimitAndReleasesOnDestruction) {
  Budget budget(10);
  auto a = budget.reserve(6);
  ASSERT_TRUE(a);
  EXPECT_FALSE(budget.reserve(5));
  {
    auto b = budget.reserve(4);
    ASSERT_TRUE(b);
    EXPECT_EQ(budget.used(), 10u);
    EXPECT_FALSE(budget.reserve(1));
  }
  EXPECT_EQ(budget.used(), 6u);
  EXPECT_FALSE(budget.reserve(11));
  EXPECT_FALSE(budget.reserve(static_cast<std::size_t>(-1)));
}

TEST(Budget, AMovedReservationIsReleasedOnce) {
  Budget budget(10);
  Budget::Reservation held;
  {
    auto r = budget.reserve(7);
    ASSERT_TRUE(r);
    held = std::move(*r);
  }
  EXPECT_EQ(budget.used(), 7u);
  held = *budget.reserve(2);  // replacing releases the old 7
  EXPECT_EQ(budget.used(), 2u);
  held = {};
  EXPECT_EQ(budget.used(), 0u);
}

}  // namespace
}  // namespace netlens::server
