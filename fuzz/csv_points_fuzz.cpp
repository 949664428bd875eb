// Fuzz target: an uploaded CSV of points (upload_csv), read as the server reads it. The first
// byte picks the problem (classification or regression). Any input must either give points
// with finite coordinates and valid labels or throw netlens::Error.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/error.hpp"
#include "data/csv_points.hpp"

using namespace netlens;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto problem = data[0] % 2 ? data::Problem::Regression : data::Problem::Classification;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    for (const data::Point2D& p : data::parse_csv_points(text, "fuzz.csv", problem)) {
      if (!std::isfinite(p.x1) || !std::isfinite(p.x2) || !std::isfinite(p.label)) std::abort();
      if (problem == data::Problem::Classification && p.label != -1 && p.label != 1) std::abort();
    }
  } catch (const Error&) {
  }
  return 0;
}
