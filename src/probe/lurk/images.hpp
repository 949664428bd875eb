#pragma once
// What the Lurk commands share: a model and the images they look at, prepared as `infer`
// prepares them (MNIST-layout images resized to the model's input size).
#include <string>
#include <vector>

#include "nn/model_file.hpp"

namespace netlens::probe::lurk {

struct LurkImages {
  std::vector<float> images;  // n x input size
  std::vector<int> labels;
  int size() const { return static_cast<int>(labels.size()); }
};

// The data set a model was trained on ("mnist" unless its header says otherwise), or `data`.
std::string model_dataset(const nn::Model& model, const std::string& data);
// Images `split` ("train" or "test") of `dataset` from `dir` (default: the data set's own), the
// first `limit` of them (0: all), at the model's input size. Throws Error naming what is wrong.
LurkImages load_lurk_images(const nn::Model& model, const std::string& dataset, const std::string& split,
                            const std::string& dir, int limit);
// One 28 x 28 image (a PNG prepared as a digit) at the model's input size.
std::vector<float> load_lurk_png(const nn::Model& model, const std::string& path);
// FNV-1a (64 bits) of the model's config and weights, as 16 hex digits: the cache's key.
std::string weights_hash(nn::Model& model);

}  // namespace netlens::probe::lurk
