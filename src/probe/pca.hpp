#pragma once
// Principal component analysis: the axes of largest variance of a point cloud, from the
// eigenvectors of its sample covariance C = 1/(n-1) sum_i (x_i - m)(x_i - m)^T, found with the
// cyclic Jacobi method (exact to double precision; meant for the tens of dimensions of a
// hidden layer).
#include <vector>

namespace netlens::probe {

// Eigenvalues in descending order, with their unit eigenvectors; each vector's entry of
// largest magnitude is positive, so the signs do not flip from one call to the next.
struct SymmetricEigen {
  std::vector<double> values;
  std::vector<std::vector<double>> vectors;
};
SymmetricEigen symmetric_eigen(std::vector<double> matrix, int n);  // matrix: n x n row-major, symmetric

struct Pca {
  int dims = 0;
  std::vector<double> mean;                   // dims
  std::vector<std::vector<double>> axes;      // components x dims, unit length, by falling variance
  std::vector<double> variances;              // the variance along each axis
  // Coordinates of x (dims values) along the axes: a_k . (x - mean).
  std::vector<double> project(const double* x) const;
};

// points: (n, dims) row-major, n >= 2; keeps `components` (<= dims) axes.
Pca fit_pca(const std::vector<double>& points, int dims, int components);

}  // namespace netlens::probe
