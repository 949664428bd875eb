#pragma once
// The JSON config of an image network run: the keys small from-scratch CNN projects use, so
// their configs work as they are, plus netlens's own (optimizer, learning_rate,
// learning_rate_decay, seed).
//   epochs, patience (early stopping on validation loss), batch_size, validation_subset_ratio,
//   percent_of_train_data_to_use, percent_train_data_to_use_for_validation (fractions 0..1),
//   num_classes, input_size, in_channels, model_output_filename, layers (nn/image_network).
// Unknown keys and bad values are refused before training, naming the key or the layer.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "nn/image_network.hpp"
#include "nn/optimizer.hpp"

namespace netlens::train {

struct ImageConfig {
  nlohmann::json json;  // as given, stored in model files
  nn::ImageNetworkSpec network;
  int epochs = 10;
  int patience = 2;
  int batch_size = 32;
  double validation_subset_ratio = 0.5;
  double percent_of_train_data_to_use = 0.2;
  double percent_train_data_to_use_for_validation = 0.2;
  std::string model_output_filename = "mnist_cnn";
  nn::OptimizerKind optimizer = nn::OptimizerKind::Adam;
  double learning_rate = 0.001;
  double learning_rate_decay = 1.0;  // the learning rate is multiplied by this after each epoch
  std::uint64_t seed = 1;
};

ImageConfig parse_image_config(const nlohmann::json& j);  // throws Error("key: reason")
ImageConfig load_image_config(const std::string& path);   // errors prefixed with the path

}  // namespace netlens::train
