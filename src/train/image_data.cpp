#include "train/image_data.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <numeric>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "data/idx.hpp"
#include "data/resize.hpp"

namespace netlens::train {

namespace {

// Rows `rows` of a data set, resized from `from` to `to` pixels a side.
ImageSplit take(const data::ImageSet& set, const std::vector<int>& rows, int from, int to, int classes) {
  ImageSplit s;
  const std::size_t in = static_cast<std::size_t>(from) * from, out = static_cast<std::size_t>(to) * to;
  s.inputs = Tensor({static_cast<int>(rows.size()), to * to});
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const float* src = set.images.data() + static_cast<std::size_t>(rows[i]) * in;
    float* dst = s.inputs.data() + i * out;
    if (from == to)
      std::copy_n(src, in, dst);
    else
      data::resize_area(src, from, from, dst, to, to);
    s.labels.push_back(set.labels[static_cast<std::size_t>(rows[i])]);
  }
  s.targets = one_hot(s.labels, classes);
  return s;
}

}  // namespace

const std::vector<std::string>& dataset_names() {
  static const std::vector<std::string> names{"mnist", "fashion-mnist"};
  return names;
}

std::vector<std::string> class_names(const std::string& dataset) {
  if (dataset == "fashion-mnist")
    return {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};
  return {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
}

std::string dataset_dir(const std::string& dataset) {
  if (dataset == "fashion-mnist") return "/usr/share/datasets/fashion-mnist";
  if (dataset != "mnist") throw Error("data", "unknown data set '" + dataset + "' (known: mnist, fashion-mnist)");
  if (const char* dir = std::getenv("NETLENS_MNIST_DIR")) return dir;
  if (std::filesystem::exists(".cache/mnist")) return ".cache/mnist";
  return std::string(NETLENS_SOURCE_DIR) + "/.cache/mnist";
}

Tensor one_hot(const std::vector<int>& labels, int k) {
  Tensor t({static_cast<int>(labels.size()), k});
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] >= k) throw Error("labels", "label " + std::to_string(labels[i]) + " but num_classes is " + std::to_string(k));
    t[i * static_cast<std::size_t>(k) + static_cast<std::size_t>(labels[i])] = 1.0f;
  }
  return t;
}

ImageData load_image_data(const ImageConfig& c, const std::string& dir) {
  const data::ImageSet train_set = data::load_image_set(dir, "train");
  const data::ImageSet test_set = data::load_image_set(dir, "t10k");
  if (train_set.rows != train_set.cols || test_set.rows != train_set.rows || test_set.cols != train_set.cols)
    throw Error(dir, "training and test images must be square and of one size");
  if (c.network.in_channels != 1)
    throw Error("in_channels", "these images have 1 channel (grayscale), the config says " + std::to_string(c.network.in_channels));

  std::vector<int> order(static_cast<std::size_t>(train_set.size()));
  std::iota(order.begin(), order.end(), 0);
  Rng rng(c.seed + 3);
  rng.shuffle(order);
  const auto used = static_cast<std::size_t>(std::lround(c.percent_of_train_data_to_use * train_set.size()));
  const auto validation = static_cast<std::size_t>(std::lround(c.percent_train_data_to_use_for_validation * used));
  if (used - validation < 1) throw Error("percent_of_train_data_to_use", "leaves no training images");
  // The validation rows evaluated each epoch: a fixed seeded subset of validation_subset_ratio.
  const auto checked = static_cast<std::size_t>(std::lround(c.validation_subset_ratio * validation));

  const int from = train_set.rows, to = c.network.input_size, k = c.network.num_classes;
  ImageData d;
  d.image_size = from;
  d.train = take(train_set, {order.begin() + static_cast<long>(validation), order.begin() + static_cast<long>(used)}, from, to, k);
  d.validation = take(train_set, {order.begin(), order.begin() + static_cast<long>(checked)}, from, to, k);
  std::vector<int> all(static_cast<std::size_t>(test_set.size()));
  std::iota(all.begin(), all.end(), 0);
  d.test = take(test_set, all, from, to, k);
  d.test_images = test_set.images.values();
  return d;
}

}  // namespace netlens::train
