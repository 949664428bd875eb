#pragma once
// UnitMaps: every node of a Playground network over a small grid of the input domain, the
// thumbnails of its network graph: each input feature, each hidden unit (its activated output),
// and the output as the big heatmap shows it. Same cells and orientation as OutputGrid.
// Values are sent as bytes: code = round((v + 1) * 127.5) for v clamped to [-1, 1]; a feature
// is first divided by its largest |value| over the grid, so x1 on [-6, 6] spans the scale.
#include <cstdint>
#include <vector>

#include "nn/feature_major.hpp"
#include "probe/output_grid.hpp"
#include "train/session.hpp"

namespace netlens::probe {

// A feature's map over the grid as codes (scaled to its largest |value|): the page shows every
// feature, used or not, this way.
std::vector<std::uint8_t> feature_map(data::Feature feature, int resolution, const Domain& domain = {});

class UnitMaps {
 public:
  UnitMaps(const train::Session& session, int resolution, Domain domain = {});

  // nodes() maps of resolution^2 codes each, node-major: features, hidden layers in order, output.
  const std::vector<std::uint8_t>& compute(const train::Session& session);

  int resolution() const { return resolution_; }
  int nodes() const { return nodes_; }

 private:
  int resolution_;
  int nodes_ = 0;
  nn::FeatureMajorWorkspace ws_;
  std::vector<std::uint8_t> feature_codes_;  // the features' maps: they never change
  std::vector<float> display_;               // the output row, as Session::display_outputs maps it
  std::vector<std::uint8_t> codes_;
};

}  // namespace netlens::probe
