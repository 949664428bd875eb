#include "train/schedule.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

using namespace netlens;
using train::Schedule;
using train::ScheduleKind;

TEST(Schedule, DefaultIsDenseEarlyThenWholeEpochsGrowingBy22Percent) {
  const Schedule s({ScheduleKind::Default, 0}, 250);
  // After 40k: 40000 * 1.22 = 48800 -> 49000 (a multiple of 250), 49000 * 1.22 = 59780 -> 60000, ...
  const std::vector<long> expected{0,     50,    120,   250,   500,   1000,  2000,  3500,  5800,
                                   8700,  13000, 19500, 28500, 40000, 49000, 60000, 73250, 89500, 100000};
  EXPECT_EQ(s.points(100000), expected);
}

TEST(Schedule, ATenThousandEpochRunOfThePlaygroundHasAbout35Checkpoints) {
  const auto points = Schedule({ScheduleKind::Default, 0}, 250).points(10000L * 250);
  EXPECT_EQ(points.size(), 35u);
  EXPECT_EQ(points.back(), 2500000);
  for (std::size_t i = 14; i < points.size(); ++i) EXPECT_EQ(points[i] % 250, 0) << points[i];
  // A larger training set gives a few more, not thousands.
  EXPECT_LE(Schedule({ScheduleKind::Default, 0}, 1000).points(10000L * 1000).size(), 45u);
}

TEST(Schedule, EveryNEpochs) {
  const Schedule s({ScheduleKind::Epochs, 3}, 100);
  EXPECT_EQ(s.points(1000), (std::vector<long>{0, 300, 600, 900, 1000}));
  EXPECT_EQ(s.next(0), 300);
  EXPECT_EQ(s.next(299), 300);
  EXPECT_EQ(s.next(300), 600);
}

TEST(Schedule, BothIsTheUnion) {
  const Schedule s({ScheduleKind::Both, 1}, 100);
  EXPECT_EQ(s.points(600), (std::vector<long>{0, 50, 100, 120, 200, 250, 300, 400, 500, 600}));
}

TEST(Schedule, NextIsTheFirstPointAfter) {
  const Schedule s({ScheduleKind::Default, 0}, 250);
  EXPECT_EQ(s.next(0), 50);
  EXPECT_EQ(s.next(49), 50);
  EXPECT_EQ(s.next(50), 120);
  EXPECT_EQ(s.next(40000), 49000);
  EXPECT_EQ(s.next(48999), 49000);
}

TEST(Schedule, RefusesAnEpochScheduleWithoutN) {
  EXPECT_THROW(Schedule({ScheduleKind::Epochs, 0}, 100), Error);
  EXPECT_THROW(Schedule({ScheduleKind::Default, 0}, 0), Error);
}

TEST(Schedule, JsonRoundTripAndErrors) {
  const train::ScheduleSpec spec{ScheduleKind::Both, 7};
  const auto back = train::parse_schedule(train::to_json(spec), "schedule");
  EXPECT_EQ(back.kind, ScheduleKind::Both);
  EXPECT_EQ(back.every_epochs, 7);
  EXPECT_EQ(train::to_json(train::ScheduleSpec{}).dump(), R"({"kind":"default"})");
  try {
    train::parse_schedule(nlohmann::json{{"kind", "hourly"}}, "schedule");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "schedule.kind: unknown schedule 'hourly' (known: default, epochs, both)");
  }
  EXPECT_THROW(train::parse_schedule(nlohmann::json{{"kind", "epochs"}}, "schedule"), Error);
}
