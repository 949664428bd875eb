#pragma once
// Points uploaded as CSV: rows "x1,x2,label", read into Point2D with the Playground's
// conventions (see synthetic2d.hpp). Any byte sequence is either read or refused with an Error
// naming the file, the row (1-based line number) and the reason:
// "points.csv: row 7: label must be -1, 1, 0 or 1 for classification, got '2'".
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "data/synthetic2d.hpp"

namespace netlens::data {

struct CsvLimits {
  static constexpr std::size_t kMaxBytes = 1 << 20;  // refused before parsing
  static constexpr int kMinPoints = 4, kMaxPoints = 10000;
};

// Separator: comma, or semicolon or tab when the first non-blank line has no comma. The first
// non-blank line is a header, and skipped, when none of its fields is a number. Blank lines,
// CR line ends, spaces around fields and a UTF-8 byte order mark are accepted.
// Coordinates must lie in the Playground's domain [-6, 6]. Labels: classification into two
// classes takes -1/+1 or 0/1 (0 becomes -1), into `classes` > 2 the class index 0..classes-1
// (the labels of synthetic2d's k-class sets); regression takes any finite number, scaled into
// [-1, 1] when needed.
std::vector<Point2D> parse_csv_points(std::string_view text, const std::string& name, Problem problem, int classes = 2);

}  // namespace netlens::data
