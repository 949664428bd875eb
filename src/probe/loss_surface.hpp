#pragma once
// The training loss on a plane through weight space, and the descent path drawn on it.
// The plane is theta(alpha, beta) = c + alpha d1 + beta d2 around centre c (the current
// weights). The directions are either two chosen weights (unit vectors along two parameters)
// or two random filter-normalised directions (Li et al., 2018, "Visualizing the loss landscape
// of neural nets"): Gaussian entries, each filter (a Dense unit's incoming weights) scaled to
// the norm of the same filter of c, bias entries zero.
#include <cstdint>
#include <vector>

#include "nn/loss.hpp"
#include "nn/network.hpp"
#include "train/session.hpp"
#include "train/traced_run.hpp"

namespace netlens::probe {

struct Directions {
  std::vector<float> d1, d2;  // over every parameter, in network.params() order
};

// Unit vectors along parameters `first` and `second` (indices into the flat parameters).
// Throws Error naming the field when an index is out of range or both are the same.
Directions weight_directions(nn::Network& network, int first, int second);
Directions random_directions(nn::Network& network, const std::vector<float>& centre, std::uint64_t seed);

struct LossSurface {
  double extent = 1;   // alpha and beta run over [-extent, extent]
  int resolution = 0;  // samples per side, odd, so the middle sample is the centre itself
  // resolution^2 mean training losses, row-major: row r has beta = -extent + 2 extent r/(resolution-1),
  // column c has alpha = the same of c. Not finite where the network overflows.
  std::vector<double> losses;
};

// Evaluates the loss over the plane. Restores the network's weights before returning.
LossSurface loss_surface(nn::Network& network, const train::Dataset& set, nn::Loss loss, const std::vector<float>& centre,
                         const Directions& directions, double extent, int resolution);

struct TrajectoryPoint {
  int epoch = 0;
  double alpha = 0, beta = 0;  // least-squares coordinates of theta_t - c in the plane of d1, d2
  double loss = 0;             // the training loss recorded at theta_t, the weights visited
  double surface_loss = 0;     // the loss at c + alpha d1 + beta d2, where the point sits on the surface
};

// The recorded weights projected onto the plane. Restores the network's weights before returning.
std::vector<TrajectoryPoint> project_trajectory(nn::Network& network, const train::Dataset& set, nn::Loss loss,
                                                const std::vector<float>& centre, const Directions& directions,
                                                const std::vector<train::TraceRecord>& trace);

}  // namespace netlens::probe
