#pragma once
// netlens train --config FILE [--data mnist|fashion-mnist] [--out FILE] [--json]: trains an image
// network from its JSON config (train/image_config), prints each epoch's validation loss and
// accuracy, stops early when the validation loss stops improving, reports the test set, and
// saves the best epoch's model atomically.
#include <string>

namespace netlens::cli {

struct TrainImageOptions {
  std::string config_path;
  std::string data = "mnist";
  std::string data_dir;  // default: the data set's own folder (train::dataset_dir)
  std::string out;       // default: the config's model_output_filename
  bool json = false;
};

int run_train_image(const TrainImageOptions& options);

// model_output_filename as given (relative to the working folder), with ".nlmodel" added when
// it has no extension ("mnist_cnn" -> "mnist_cnn.nlmodel").
std::string model_output_path(const std::string& filename);

}  // namespace netlens::cli
