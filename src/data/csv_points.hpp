#pragma once
// Points uploaded as CSV: rows "x1,x2,label", read into Point2D with the Playground's
// conventions (see synthetic2d.hpp). Any byte sequence is either read or refused with an Error
// naming the file, the row (1-based line number) and the reason:
// "points.csv: row 7: label must be -1, 1, 0 or 1 for classification, got '2'". Every bad row
// is named (up to kMaxReported, then how many more): "points.csv: 3 bad rows: row 2: ...; row 5: ...".
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "data/synthetic2d.hpp"

namespace netlens::data {

struct CsvLimits {
  static constexpr std::size_t kMaxBytes = 1 << 20;  // refused before parsing
  static constexpr int kMinPoints = 4, kMaxPoints = 10000;
  static constexpr int kMaxReported = 10;  // bad rows named in one error; the rest are counted
};

// How rescaling moved the points: the file's bounding box, and the factor applied around its
// centre (one for both axes, so the shape is kept) to fit it into [-6, 6].
struct CsvRescale {
  double x1_min, x1_max, x2_min, x2_max, scale;
};

struct CsvPoints {
  std::vector<Point2D> points;
  std::optional<CsvRescale> rescaled;  // set when `rescale` was asked and the points needed it
};

// Separator: comma, or semicolon or tab when the first non-blank line has no comma. The first
// non-blank line is a header, and skipped, when none of its fields is a number. Blank lines,
// CR line ends, spaces around fields and a UTF-8 byte order mark are accepted.
// Coordinates must lie in the Playground's domain [-6, 6], or, with `rescale`, be finite: points
// beyond the domain are then moved into it (centred, one factor for both axes). Labels:
// classification into two classes takes -1/+1 or 0/1 (0 becomes -1), into `classes` > 2 the
// class index 0..classes-1 (the labels of synthetic2d's k-class sets); regression takes any
// finite number, scaled into [-1, 1] when needed.
CsvPoints read_csv_points(std::string_view text, const std::string& name, Problem problem, int classes, bool rescale);

// read_csv_points without rescaling: points outside the domain are refused.
std::vector<Point2D> parse_csv_points(std::string_view text, const std::string& name, Problem problem, int classes = 2);

}  // namespace netlens::data
