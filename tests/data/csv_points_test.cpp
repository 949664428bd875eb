#include "data/csv_points.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "core/error.hpp"
#include "core/rng.hpp"

using namespace netlens;
using data::Problem;

namespace {

// The message parse_csv_points throws for `text`, or "" when it reads it.
std::string error_for(std::string_view text, Problem problem = Problem::Classification) {
  try {
    data::parse_csv_points(text, "points.csv", problem);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(CsvPoints, ReadsAFileWithHeaderCrlfBlankLinesAndSpaces) {
  const auto points =
      data::parse_csv_points("x1,x2,label\r\n1.5,-2,1\r\n\r\n -6 , 6 ,-1\r\n0,0.25,+1\r\n  \r\n3e0,-0.5,-1\r\n",
                             "points.csv", Problem::Classification);
  ASSERT_EQ(points.size(), 4u);
  EXPECT_EQ(points[0].x1, 1.5f);
  EXPECT_EQ(points[0].x2, -2.0f);
  EXPECT_EQ(points[0].label, 1.0f);
  EXPECT_EQ(points[1].x1, -6.0f);
  EXPECT_EQ(points[1].x2, 6.0f);
  EXPECT_EQ(points[1].label, -1.0f);
  EXPECT_EQ(points[2].label, 1.0f);
  EXPECT_EQ(points[3].x1, 3.0f);
}

TEST(CsvPoints, ZeroOneLabelsBecomeMinusOneAndPlusOne) {
  const auto points = data::parse_csv_points("0,0,0\n1,1,1\n2,2,0\n3,3,1.0\n", "p.csv", Problem::Classification);
  ASSERT_EQ(points.size(), 4u);
  EXPECT_EQ(points[0].label, -1.0f);
  EXPECT_EQ(points[1].label, 1.0f);
  EXPECT_EQ(points[2].label, -1.0f);
  EXPECT_EQ(points[3].label, 1.0f);
}

TEST(CsvPoints, AMultiClassRunTakesClassIndices) {
  const auto points = data::parse_csv_points("x1,x2,label\n0,0,0\n1,1,6\n2,2,3\n3,3,1.0\n", "p.csv", Problem::Classification, 7);
  ASSERT_EQ(points.size(), 4u);
  EXPECT_EQ(points[0].label, 0.0f);
  EXPECT_EQ(points[1].label, 6.0f);
  EXPECT_EQ(points[2].label, 3.0f);
  EXPECT_EQ(points[3].label, 1.0f);
  const auto refused = [](std::string_view label) {
    try {
      data::parse_csv_points("0,0,0\n0,0,1\n0,0,2\n0,0," + std::string(label) + "\n", "p.csv", Problem::Classification, 7);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(refused("7"), "p.csv: row 4: label must be a class 0..6 (the run has 7 classes), got '7'");
  EXPECT_EQ(refused("-1"), "p.csv: row 4: label must be a class 0..6 (the run has 7 classes), got '-1'");
  EXPECT_EQ(refused("2.5"), "p.csv: row 4: label must be a class 0..6 (the run has 7 classes), got '2.5'");
}

TEST(CsvPoints, SemicolonAndTabSeparatorsAreAccepted) {
  const auto semicolons =
      data::parse_csv_points("x1;x2;label\n1;2;1\n1;2;-1\n1;2;1\n1;2;0\n", "p.csv", Problem::Classification);
  EXPECT_EQ(semicolons.size(), 4u);
  const auto tabs = data::parse_csv_points("1\t2\t1\n1\t2\t-1\n1\t2\t1\n1.5\t2\t0\n", "p.csv", Problem::Classification);
  ASSERT_EQ(tabs.size(), 4u);
  EXPECT_EQ(tabs[3].x1, 1.5f);
  EXPECT_EQ(tabs[3].label, -1.0f);
}

TEST(CsvPoints, ABadRowIsNamedWithItsNumberAndReason) {
  EXPECT_EQ(error_for("x1,x2,label\n1,1,1\n1,1,-1\n1,1,1\n\n1,1,1\n1,1,2\n"),
            "points.csv: row 7: label must be -1, 1, 0 or 1 for classification, got '2'");
  EXPECT_EQ(error_for("x1,x2,label\n1,1,1\n1,1\n"), "points.csv: row 3: expected 3 fields x1,x2,label, got 2");
  EXPECT_EQ(error_for("1,1,1\n1,1,1\n1,1,1\n1,abc,1\n"), "points.csv: row 4: x2 is not a number: 'abc'");
  EXPECT_EQ(error_for("1,1,1\n1,1,1,1\n"), "points.csv: row 2: expected 3 fields x1,x2,label, got 4");
  EXPECT_EQ(error_for("1,1,yes\n"), "points.csv: row 1: label is not a number: 'yes'");
}

TEST(CsvPoints, EveryBadRowIsNamedUpToTenThenCounted) {
  EXPECT_EQ(error_for("x1,x2,label\n1,1,1\n1,abc,1\n1,1,1\n7,0,1\n1,1\n1,1,1\n"),
            "points.csv: 3 bad rows: row 3: x2 is not a number: 'abc'; row 5: x1 must be in -6..6, got '7'; "
            "row 6: expected 3 fields x1,x2,label, got 2 (rescaling fits the points into -6..6)");
  std::string many;
  for (int i = 0; i < 25; ++i) many += "1,1,yes\n";
  const std::string message = error_for(many);
  EXPECT_TRUE(message.starts_with("points.csv: 25 bad rows: row 1: label is not a number: 'yes'; row 2: ")) << message;
  EXPECT_TRUE(message.ends_with("row 10: label is not a number: 'yes'; and 15 more")) << message;
}

TEST(CsvPoints, RescaleFitsPointsBeyondTheDomainIntoItKeepingTheirShape) {
  // x1 spans 100..300 (the larger side), x2 10..20: centred at (200, 15), scaled by 6 / 100.
  const auto read = data::read_csv_points("x,y,c\n100,10,1\n300,20,0\n200,15,1\n150,12.5,0\n", "r.csv",
                                          Problem::Classification, 2, true);
  ASSERT_TRUE(read.rescaled.has_value());
  EXPECT_EQ(read.rescaled->x1_min, 100);
  EXPECT_EQ(read.rescaled->x1_max, 300);
  EXPECT_EQ(read.rescaled->x2_min, 10);
  EXPECT_EQ(read.rescaled->x2_max, 20);
  EXPECT_DOUBLE_EQ(read.rescaled->scale, 0.06);
  ASSERT_EQ(read.points.size(), 4u);
  EXPECT_FLOAT_EQ(read.points[0].x1, -6);
  EXPECT_FLOAT_EQ(read.points[0].x2, -0.3f);
  EXPECT_FLOAT_EQ(read.points[1].x1, 6);
  EXPECT_FLOAT_EQ(read.points[1].x2, 0.3f);
  EXPECT_FLOAT_EQ(read.points[2].x1, 0);
  EXPECT_FLOAT_EQ(read.points[3].x1, -3);
  EXPECT_EQ(read.points[1].label, -1.0f);
  // Points already in the domain stay where they are, even when rescaling was asked for.
  const auto inside = data::read_csv_points("1,1,1\n-2,3,0\n0,0,1\n5,-6,0\n", "r.csv", Problem::Classification, 2, true);
  EXPECT_FALSE(inside.rescaled.has_value());
  EXPECT_EQ(inside.points[3].x2, -6.0f);
  // Huge but finite coordinates are rescaled too; a bad field is still refused.
  const auto huge = data::read_csv_points("1e300,0,1\n-1e300,0,0\n0,1e300,1\n0,0,0\n", "r.csv", Problem::Classification, 2, true);
  EXPECT_FLOAT_EQ(huge.points[0].x1, 6);
  EXPECT_FLOAT_EQ(huge.points[1].x1, -6);
  EXPECT_THROW(data::read_csv_points("1,1,1\n1,abc,1\n1,1,1\n1,1,1\n", "r.csv", Problem::Classification, 2, true), Error);
}

TEST(CsvPoints, AFirstRowWithSomeNumbersIsDataNotAHeader) {
  EXPECT_EQ(error_for("1,abc,1\n1,1,1\n"), "points.csv: row 1: x2 is not a number: 'abc'");
}

TEST(CsvPoints, CoordinatesOutsideThePlaygroundDomainOrNotFiniteAreRefused) {
  EXPECT_EQ(error_for("1,1,1\n6.5,0,1\n"), "points.csv: row 2: x1 must be in -6..6, got '6.5' (rescaling fits the points into -6..6)");
  EXPECT_EQ(error_for("1,-7,1\n"), "points.csv: row 1: x2 must be in -6..6, got '-7' (rescaling fits the points into -6..6)");
  EXPECT_EQ(error_for("nan,0,1\n"), "points.csv: row 1: x1 must be a finite number, got 'nan'");
  EXPECT_EQ(error_for("0,0,inf\n", Problem::Regression), "points.csv: row 1: label must be a finite number, got 'inf'");
}

TEST(CsvPoints, TooFewTooManyAndTooLargeAreRefused) {
  EXPECT_EQ(error_for("x1,x2,label\n1,1,1\n1,1,-1\n"), "points.csv: needs at least 4 points, got 2");
  EXPECT_EQ(error_for(""), "points.csv: needs at least 4 points, got 0");
  std::string many;
  for (int i = 0; i < data::CsvLimits::kMaxPoints; ++i) many += "1,1,1\n";
  EXPECT_EQ(data::parse_csv_points(many, "points.csv", Problem::Classification).size(), 10000u);
  EXPECT_EQ(error_for(many + "1,1,1\n"), "points.csv: more than 10000 points");
  EXPECT_EQ(error_for(std::string(data::CsvLimits::kMaxBytes + 1, '\n')),
            "points.csv: larger than 1 MiB (1048577 bytes)");
}

TEST(CsvPoints, RegressionLabelsBeyondOneAreScaledIntoMinusOneToOne) {
  auto points = data::parse_csv_points("0,0,4\n0,1,-8\n1,0,2\n1,1,0\n", "r.csv", Problem::Regression);
  ASSERT_EQ(points.size(), 4u);
  EXPECT_EQ(points[0].label, 0.5f);
  EXPECT_EQ(points[1].label, -1.0f);
  EXPECT_EQ(points[2].label, 0.25f);
  EXPECT_EQ(points[3].label, 0.0f);
  // Labels already in [-1, 1] are kept as they are.
  points = data::parse_csv_points("0,0,0.5\n0,1,-0.25\n1,0,1\n1,1,0.125\n", "r.csv", Problem::Regression);
  EXPECT_EQ(points[0].label, 0.5f);
  EXPECT_EQ(points[1].label, -0.25f);
  // Huge labels scale without overflowing float.
  points = data::parse_csv_points("0,0,1e300\n0,1,-5e299\n1,0,0\n1,1,0\n", "r.csv", Problem::Regression);
  EXPECT_EQ(points[0].label, 1.0f);
  EXPECT_EQ(points[1].label, -0.5f);
}

TEST(CsvPoints, RandomBytesAreReadOrRefusedButNeverCrash) {
  // Rows of short random fields, so the parser gets past the first row often enough.
  Rng rng(7);
  const std::string alphabet = "0123456789+-.eEinfa \t;,\r\n\xEF\xBB\xBF";
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const auto rows = rng.below(12);
    for (std::uint32_t r = 0; r < rows; ++r) {
      for (int f = 0; f < 3; ++f) {
        for (auto n = rng.below(5); n > 0; --n)
          text += rng.below(20) == 0 ? static_cast<char>(rng.below(256))
                                     : alphabet[rng.below(static_cast<std::uint32_t>(alphabet.size()))];
        text += f < 2 ? "," : "\n";
      }
    }
    for (auto problem : {Problem::Classification, Problem::Regression}) {
      try {
        for (const auto& p : data::parse_csv_points(text, "fuzz.csv", problem)) {
          EXPECT_LE(std::abs(p.x1), 6.0f);
          EXPECT_LE(std::abs(p.x2), 6.0f);
          EXPECT_LE(std::abs(p.label), 1.0f);
        }
      } catch (const Error&) {
      }
    }
  }
}
