#include "data/csv_points.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <optional>

#include "core/error.hpp"

namespace netlens::data {

namespace {

constexpr std::string_view kBlanks = " \t";

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(kBlanks);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kBlanks) - first + 1);
}

// The whole field as a number, or nothing. A leading '+' ("+1") is accepted; from_chars alone
// refuses it.
std::optional<double> parse_number(std::string_view s) {
  if (s.size() > 1 && s[0] == '+' && s[1] != '-' && s[1] != '+') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// A field as an error message shows it: quoted, and cut short when long.
std::string quoted(std::string_view field) {
  constexpr std::size_t kMax = 40;
  return "'" + std::string(field.substr(0, kMax)) + (field.size() > kMax ? "...'" : "'");
}

// Counts a line's fields and keeps the first three, trimmed (more are only counted, so a line
// of a million separators allocates nothing).
int split_fields(std::string_view line, char sep, std::array<std::string_view, 3>& fields) {
  int n = 0;
  for (std::size_t start = 0;; ++n) {
    const auto end = line.find(sep, start);
    if (n < 3) fields[static_cast<std::size_t>(n)] = trim(line.substr(start, end - start));
    if (end == std::string_view::npos) return n + 1;
    start = end + 1;
  }
}

// Comma, unless the line has none but has semicolons (or else tabs).
char separator_of(std::string_view line) {
  for (char c : {',', ';', '\t'})
    if (line.find(c) != std::string_view::npos) return c;
  return ',';
}

// A coordinate: a finite number in the Playground's domain.
float read_coordinate(std::string_view field, const char* what, const std::string& where) {
  const auto v = parse_number(field);
  if (!v) throw Error(where, std::string(what) + " is not a number: " + quoted(field));
  if (!std::isfinite(*v)) throw Error(where, std::string(what) + " must be a finite number, got " + quoted(field));
  if (*v < kDomainMin || *v > kDomainMax)
    throw Error(where, std::string(what) + " must be in -6..6, got " + quoted(field));
  return static_cast<float>(*v);
}

// A label, kept in double until regression labels are scaled (a float could overflow).
double read_label(std::string_view field, Problem problem, int classes, const std::string& where) {
  const auto v = parse_number(field);
  if (!v) throw Error(where, "label is not a number: " + quoted(field));
  if (problem == Problem::Classification && classes > 2) {
    if (*v >= 0 && *v < classes && *v == std::floor(*v)) return *v;
    throw Error(where, "label must be a class 0.." + std::to_string(classes - 1) + " (the run has " +
                           std::to_string(classes) + " classes), got " + quoted(field));
  }
  if (problem == Problem::Classification) {
    if (*v == 1) return 1;
    if (*v == -1 || *v == 0) return -1;
    throw Error(where, "label must be -1, 1, 0 or 1 for classification, got " + quoted(field));
  }
  if (!std::isfinite(*v)) throw Error(where, "label must be a finite number, got " + quoted(field));
  return *v;
}

}  // namespace

std::vector<Point2D> parse_csv_points(std::string_view text, const std::string& name, Problem problem, int classes) {
  if (text.size() > CsvLimits::kMaxBytes)
    throw Error(name, "larger than 1 MiB (" + std::to_string(text.size()) + " bytes)");
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // Excel's UTF-8 byte order mark

  std::vector<Point2D> points;
  std::vector<double> labels;
  char sep = 0;  // decided by the first non-blank line
  std::array<std::string_view, 3> fields;
  for (int row = 1; !text.empty(); ++row) {
    const auto eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (trim(line).empty()) continue;

    const bool first = sep == 0;
    if (first) sep = separator_of(line);
    const int n = split_fields(line, sep, fields);
    if (first && std::none_of(fields.begin(), fields.begin() + std::min(n, 3),
                              [](std::string_view f) { return parse_number(f).has_value(); }))
      continue;  // a header such as "x1,x2,label"

    const std::string where = name + ": row " + std::to_string(row);
    if (n != 3) throw Error(where, "expected 3 fields x1,x2,label, got " + std::to_string(n));
    if (points.size() == static_cast<std::size_t>(CsvLimits::kMaxPoints))
      throw Error(name, "more than " + std::to_string(CsvLimits::kMaxPoints) + " points");
    const float x1 = read_coordinate(fields[0], "x1", where);
    const float x2 = read_coordinate(fields[1], "x2", where);
    labels.push_back(read_label(fields[2], problem, classes, where));
    points.push_back({x1, x2, 0.0f});
  }
  if (points.size() < static_cast<std::size_t>(CsvLimits::kMinPoints))
    throw Error(name, "needs at least " + std::to_string(CsvLimits::kMinPoints) + " points, got " +
                          std::to_string(points.size()));

  // The Playground's regression targets (and its tanh-coloured output) live in [-1, 1]: labels
  // beyond it are all scaled by 1 / max|label|, which keeps their shape.
  double largest = 0;
  for (double l : labels) largest = std::max(largest, std::abs(l));
  const double scale = problem == Problem::Regression && largest > 1 ? 1 / largest : 1;
  for (std::size_t i = 0; i < points.size(); ++i) points[i].label = static_cast<float>(labels[i] * scale);
  return points;
}

}  // namespace netlens::data
