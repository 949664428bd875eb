#include "data/csv_points.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

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

// In the Playground's domain [-6, 6].
bool in_domain(double v) { return v >= kDomainMin && v <= kDomainMax; }

// A bad field of a row: what the row's problem says.
struct FieldError {
  std::string why;
  bool outside_domain = false;
};

// A coordinate: a finite number (kept in double until rescaled: a float could overflow), in the
// domain unless the points are to be rescaled.
double read_coordinate(std::string_view field, const std::string& what, bool rescale) {
  const auto v = parse_number(field);
  if (!v) throw FieldError{what + " is not a number: " + quoted(field)};
  if (!std::isfinite(*v)) throw FieldError{what + " must be a finite number, got " + quoted(field)};
  if (!rescale && !in_domain(*v)) throw FieldError{what + " must be in -6..6, got " + quoted(field), true};
  return *v;
}

// A label, kept in double until regression labels are scaled (a float could overflow).
double read_label(std::string_view field, Problem problem, int classes) {
  const auto v = parse_number(field);
  if (!v) throw FieldError{"label is not a number: " + quoted(field)};
  if (problem == Problem::Classification && classes > 2) {
    if (*v >= 0 && *v < classes && *v == std::floor(*v)) return *v;
    throw FieldError{"label must be a class 0.." + std::to_string(classes - 1) + " (the run has " +
                     std::to_string(classes) + " classes), got " + quoted(field)};
  }
  if (problem == Problem::Classification) {
    if (*v == 1) return 1;
    if (*v == -1 || *v == 0) return -1;
    throw FieldError{"label must be -1, 1, 0 or 1 for classification, got " + quoted(field)};
  }
  if (!std::isfinite(*v)) throw FieldError{"label must be a finite number, got " + quoted(field)};
  return *v;
}

// The bad rows of a file, each "row N: why"; the first kMaxReported are kept, the rest counted.
class RowProblems {
 public:
  void add(int row, const FieldError& e) {
    domain_ = domain_ || e.outside_domain;
    if (++count_ <= CsvLimits::kMaxReported) listed_.push_back("row " + std::to_string(row) + ": " + e.why);
  }

  void throw_if_any(const std::string& name) const {
    if (count_ == 0) return;
    std::string text = count_ == 1 ? "" : std::to_string(count_) + " bad rows: ";
    for (std::size_t i = 0; i < listed_.size(); ++i) text += (i ? "; " : "") + listed_[i];
    if (count_ > CsvLimits::kMaxReported) text += "; and " + std::to_string(count_ - CsvLimits::kMaxReported) + " more";
    if (domain_) text += " (rescaling fits the points into -6..6)";
    throw Error(name, text);
  }

 private:
  int count_ = 0;
  bool domain_ = false;
  std::vector<std::string> listed_;
};

// Moves the points' bounding box into the domain, centred, one factor for both axes; nothing
// when they already lie in it.
std::optional<CsvRescale> fit_into_domain(std::vector<std::array<double, 2>>& xs) {
  CsvRescale r{xs[0][0], xs[0][0], xs[0][1], xs[0][1], 1};
  for (const auto& [x1, x2] : xs) {
    r.x1_min = std::min(r.x1_min, x1), r.x1_max = std::max(r.x1_max, x1);
    r.x2_min = std::min(r.x2_min, x2), r.x2_max = std::max(r.x2_max, x2);
  }
  if (in_domain(r.x1_min) && in_domain(r.x1_max) && in_domain(r.x2_min) && in_domain(r.x2_max)) return std::nullopt;
  // Half the larger side (halved before subtracting: max - min may overflow a double).
  const double half = std::max(r.x1_max / 2 - r.x1_min / 2, r.x2_max / 2 - r.x2_min / 2);
  r.scale = half > 0 ? kDomainMax / half : 1;
  const double c1 = r.x1_min / 2 + r.x1_max / 2, c2 = r.x2_min / 2 + r.x2_max / 2;
  for (auto& [x1, x2] : xs) {
    x1 = std::clamp((x1 - c1) * r.scale, double(kDomainMin), double(kDomainMax));
    x2 = std::clamp((x2 - c2) * r.scale, double(kDomainMin), double(kDomainMax));
  }
  return r;
}

}  // namespace

CsvPoints read_csv_points(std::string_view text, const std::string& name, Problem problem, int classes, bool rescale) {
  if (text.size() > CsvLimits::kMaxBytes)
    throw Error(name, "larger than 1 MiB (" + std::to_string(text.size()) + " bytes)");
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // Excel's UTF-8 byte order mark

  std::vector<std::array<double, 2>> xs;
  std::vector<double> labels;
  RowProblems problems;
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

    if (n != 3) {
      problems.add(row, {"expected 3 fields x1,x2,label, got " + std::to_string(n)});
      continue;
    }
    if (xs.size() == static_cast<std::size_t>(CsvLimits::kMaxPoints))
      throw Error(name, "more than " + std::to_string(CsvLimits::kMaxPoints) + " points");
    try {
      const double x1 = read_coordinate(fields[0], "x1", rescale);
      const double x2 = read_coordinate(fields[1], "x2", rescale);
      labels.push_back(read_label(fields[2], problem, classes));
      xs.push_back({x1, x2});
    } catch (const FieldError& e) {
      problems.add(row, e);
    }
  }
  problems.throw_if_any(name);
  if (xs.size() < static_cast<std::size_t>(CsvLimits::kMinPoints))
    throw Error(name, "needs at least " + std::to_string(CsvLimits::kMinPoints) + " points, got " +
                          std::to_string(xs.size()));
  CsvPoints out;
  if (rescale) out.rescaled = fit_into_domain(xs);

  // The Playground's regression targets (and its tanh-coloured output) live in [-1, 1]: labels
  // beyond it are all scaled by 1 / max|label|, which keeps their shape.
  double largest = 0;
  for (double l : labels) largest = std::max(largest, std::abs(l));
  const double scale = problem == Problem::Regression && largest > 1 ? 1 / largest : 1;
  out.points.reserve(xs.size());
  for (std::size_t i = 0; i < xs.size(); ++i)
    out.points.push_back({static_cast<float>(xs[i][0]), static_cast<float>(xs[i][1]), static_cast<float>(labels[i] * scale)});
  return out;
}

std::vector<Point2D> parse_csv_points(std::string_view text, const std::string& name, Problem problem, int classes) {
  return read_csv_points(text, name, problem, classes, false).points;
}

}  // namespace netlens::data
