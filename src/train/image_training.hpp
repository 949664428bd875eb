#pragma once
// ImageTraining: an image run from its config and data: mini-batch steps with softmax
// cross-entropy, an evaluation on the validation subset after each epoch, early stopping when
// the validation loss has not improved for `patience` epochs, and the best epoch's weights
// kept (restored by restore_best()). Buffers are sized at construction; a step allocates nothing.
#include <memory>
#include <vector>

#include "train/image_config.hpp"
#include "train/image_data.hpp"
#include "train/trainer.hpp"

namespace netlens::train {

struct EpochReport {
  int epoch = 0;
  double validation_loss = 0, validation_accuracy = 0;
  bool improved = false;  // the best validation loss so far
};

class ImageTraining {
 public:
  ImageTraining(const ImageConfig& config, const ImageData& data);

  int steps_per_epoch() const;
  void step();                // one mini-batch of the training split
  EpochReport end_epoch();    // call after steps_per_epoch() steps
  bool should_stop() const;   // the epochs are done, or patience has run out
  void restore_best();        // the weights of the epoch with the lowest validation loss
  Evaluation evaluate_test(); // loss and accuracy on the whole test set

  nn::Network& network() { return network_; }
  const ImageConfig& config() const { return config_; }
  int epoch() const { return epoch_; }
  long steps() const { return trainer_.steps(); }
  long examples_seen() const { return trainer_.examples(); }  // training images stepped over

 private:
  ImageConfig config_;
  const ImageData& data_;
  nn::Network network_;
  Trainer trainer_;
  std::vector<std::vector<float>> best_;  // a copy of each parameter at the best epoch
  double best_loss_ = 0;
  int epoch_ = 0, since_best_ = 0;
};

}  // namespace netlens::train

namespace netlens::train {

// A model file's JSON header for a finished run: the config, the data set and its class
// names, the epochs trained and the test metrics.
nlohmann::json model_header(const ImageConfig& config, const std::string& dataset, int epochs, const Evaluation& test);

}  // namespace netlens::train
