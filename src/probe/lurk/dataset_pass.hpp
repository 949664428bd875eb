#pragma once
// The dataset pass: every unit of every conv layer (a channel) and dense layer against a set of
// images. A unit's value is its layer's output after the activation that follows it, if one does
// (what the Digits view shows; a ReLU keeps the max ranking and zeroes dead units), else the
// layer's own output (the logits). Per unit and image:
//   max score  s_max = max_ij A_ij (with the argmax, first in row-major order)
//   mean score s_mean = mean_ij A_ij
// and per unit over the images: the top k by each score, the class histograms
// h_c = sum_{n in class c} s(n) / |class c| (of both scores), the mean activation (the mean of
// s_mean) and the dead fraction (the share of images with s_max <= 0).
// Images are added in batches through the engine's forward (threaded over samples); the scores
// of a batch are computed image by image on the thread pool. The state serialises to JSON, so an
// interrupted pass resumes where it stopped.
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nn/network.hpp"
#include "probe/lurk/top_k.hpp"

namespace netlens::probe::lurk {

struct UnitStats {
  TopK top_max, top_mean;
  std::vector<double> class_max_sum, class_mean_sum;  // per class, sums until finish()
  double mean_sum = 0;
  long dead = 0;
};

struct MapScore {
  float max = 0, mean = 0;
  int argmax = 0;  // row-major position of the max in the map
};

struct ScoredLayer {
  int layer = 0;        // the conv or dense layer's index
  int scored = 0;       // the layer whose output is scored (its activation, or itself)
  std::string name;     // "Conv2D(1 -> 8, 3x3)"
  bool conv = false;
  int units = 0, height = 1, width = 1;
  std::vector<UnitStats> stats;
};

// The conv and dense layers of a network, in order.
std::vector<ScoredLayer> scored_layers(const nn::Network& network, int top, int classes);

class DatasetPass {
 public:
  DatasetPass(const nn::Network& network, int classes, int top = 9, int batch = 256);

  // Adds images [first, first + n) of a set: `images` holds them at the network's input size,
  // `labels` their classes. Images must come in order (first == images_seen()).
  void add(const float* images, const int* labels, int first, int n);
  int images_seen() const { return seen_; }
  const std::vector<long>& class_counts() const { return class_counts_; }
  const std::vector<ScoredLayer>& layers() const { return layers_; }
  int top() const { return top_; }
  int classes() const { return classes_; }

  // Histograms and means as values (sums divided by the counts).
  static double class_value(const std::vector<double>& sums, const std::vector<long>& counts, int c);

  nlohmann::json state() const;               // everything needed to resume
  void resume(const nlohmann::json& state);   // throws Error when it does not fit this network

 private:
  const nn::Network& net_;
  int classes_, top_, batch_;
  nn::Workspace ws_;
  std::vector<MapScore> scores_;  // a batch's scores of one layer, image-major
  std::vector<ScoredLayer> layers_;
  std::vector<long> class_counts_;
  int seen_ = 0;
};

}  // namespace netlens::probe::lurk
