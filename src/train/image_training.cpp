#include "train/image_training.hpp"

#include <cmath>
#include <limits>

namespace netlens::train {

namespace {
nn::OptimizerConfig optimizer_config(const ImageConfig& c) {
  nn::OptimizerConfig o;
  o.kind = c.optimizer;
  o.learning_rate = static_cast<float>(c.learning_rate);
  return o;
}
}  // namespace

ImageTraining::ImageTraining(const ImageConfig& config, const ImageData& data)
    : config_(config),
      data_(data),
      network_(nn::build_image_network(config.network, config.seed)),
      trainer_(network_, nn::Loss::SoftmaxCrossEntropy, optimizer_config(config),
               std::min(config.batch_size, data.train.size()), data.train.size(), config.seed + 2),
      best_loss_(std::numeric_limits<double>::infinity()) {
  for (const auto& p : network_.params()) best_.push_back(p.value->values());
}

int ImageTraining::steps_per_epoch() const {
  const int b = std::min(config_.batch_size, data_.train.size());
  return (data_.train.size() + b - 1) / b;
}

void ImageTraining::step() { trainer_.step(data_.train.inputs, data_.train.targets); }

EpochReport ImageTraining::end_epoch() {
  ++epoch_;
  trainer_.set_learning_rate(static_cast<float>(config_.learning_rate * std::pow(config_.learning_rate_decay, epoch_)));
  EpochReport r{epoch_, 0, 0, false};
  // Without validation rows, the test set stands in so that the run still reports progress.
  const ImageSplit& v = data_.validation.size() ? data_.validation : data_.test;
  const Evaluation e = trainer_.evaluate(v.inputs, v.targets);
  r.validation_loss = e.loss;
  r.validation_accuracy = e.accuracy;
  if (e.loss < best_loss_) {
    best_loss_ = e.loss;
    since_best_ = 0;
    r.improved = true;
    std::size_t i = 0;
    for (const auto& p : network_.params()) best_[i++] = p.value->values();
  } else {
    ++since_best_;
  }
  return r;
}

bool ImageTraining::should_stop() const { return epoch_ >= config_.epochs || since_best_ >= config_.patience; }

void ImageTraining::restore_best() {
  std::size_t i = 0;
  for (const auto& p : network_.params()) p.value->values() = best_[i++];
}

Evaluation ImageTraining::evaluate_test() { return trainer_.evaluate(data_.test.inputs, data_.test.targets); }

}  // namespace netlens::train

namespace netlens::train {

nlohmann::json model_header(const ImageConfig& config, const std::string& dataset, int epochs, const Evaluation& test) {
  return {{"format", "netlens model"},
          {"config", config.json},
          {"dataset", dataset},
          {"classes", class_names(dataset)},
          {"epochs", epochs},
          {"test_loss", test.loss},
          {"test_accuracy", test.accuracy}};
}

}  // namespace netlens::train
