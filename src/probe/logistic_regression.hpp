#pragma once
// Logistic regression: the linear separator w.x + b = 0 that minimises
//   J(w, b) = 1/N sum_i log(1 + exp(-y_i (w.x_i + b))) + l2/2 |w|^2,   y_i in {-1, +1},
// fitted by Newton's method with a backtracking line search. The small L2 penalty gives
// separable data a finite optimum (without it |w| grows for ever); the bias is not penalised.
#include <vector>

namespace netlens::probe {

inline constexpr double kSeparatorL2 = 1e-4;

struct LinearSeparator {
  std::vector<double> weights;  // w, one per dimension
  double bias = 0;
  double accuracy = 0;  // share of the points with sign(w.x + b) equal to their label (0 counts as +1)
  int iterations = 0;   // Newton steps taken
};

// points: (n, dims) row-major; labels: -1 or +1 per point.
LinearSeparator fit_logistic_regression(const std::vector<double>& points, const std::vector<float>& labels, int dims,
                                        double l2 = kSeparatorL2);

}  // namespace netlens::probe
