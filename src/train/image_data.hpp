#pragma once
// The images of an image run, ready to train: the training set cut to
// percent_of_train_data_to_use (a seeded random choice), a validation share split off it, the
// whole test set; every image resized to input_size and every label one-hot.
#include <string>
#include <vector>

#include "core/tensor.hpp"
#include "train/image_config.hpp"

namespace netlens::train {

struct ImageSplit {
  Tensor inputs;   // (N, input_size * input_size)
  Tensor targets;  // (N, num_classes), one-hot
  std::vector<int> labels;
  int size() const { return static_cast<int>(labels.size()); }
};

struct ImageData {
  ImageSplit train, validation, test;
  std::vector<float> test_images;  // the test set at its own resolution (28 × 28), for viewing
  int image_size = 0;              // 28 for MNIST
};

// The data sets netlens knows: "mnist" and "fashion-mnist".
const std::vector<std::string>& dataset_names();
std::vector<std::string> class_names(const std::string& dataset);
// Where a data set's IDX files are: $NETLENS_MNIST_DIR or .cache/mnist (from the working
// folder, else the source tree's); Fashion-MNIST in /usr/share/datasets/fashion-mnist.
std::string dataset_dir(const std::string& dataset);

ImageData load_image_data(const ImageConfig& config, const std::string& dir);

// One-hot rows for labels below k.
Tensor one_hot(const std::vector<int>& labels, int k);

}  // namespace netlens::train
