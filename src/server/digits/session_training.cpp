// DigitsSession's training: a run started, trained a slice at a time between the commands,
// recorded into its run directory as it goes, and saved when it ends (session.cpp has the rest).
#include <chrono>
#include <cmath>
#include <exception>
#include <filesystem>
#include <iostream>

#include "core/error.hpp"
#include "server/common/memory.hpp"
#include "server/digits/session.hpp"
#include "train/run_folder.hpp"

namespace netlens::server::digits {

using nlohmann::json;

namespace {
constexpr auto kTrainSlice = std::chrono::milliseconds(150);  // training between two looks at the commands
}  // namespace

// Loads the saved model of this kind; when there is none, trains it (the first use).
void DigitsSession::load_or_train(const std::string& data, const std::string& model, bool train) {
  const auto path = model_path(data, model);
  if (train || !std::filesystem::exists(path)) return start_training(data, model);
  run_name_.clear();
  end_run("interrupted");
  training_.reset();
  model_.reset();
  network_ = nullptr;
  nn::Model loaded = nn::load_model(path);
  reservation_ = {};
  reservation_ = reserve_memory(memory_, network_bytes(train::parse_image_config(loaded.header["config"]), false),
                                "this model", "close another tab, or start the server with a larger limit");
  model_ = std::make_unique<nn::Model>(std::move(loaded));
  data_name_ = data, model_name_ = model;
  try {
    timeline_ = train::ImageTimeline::load(timeline_path(data, model), model_->network.param_count());
  } catch (const Error& e) {
    timeline_ = {};
    send_error(std::nullopt, std::string("checkpoints: ") + e.what());  // the model itself is fine
  }
  use_network(model_->network, model_->spec, model_->header);
  infer();
}

void DigitsSession::start_training(const std::string& data, const std::string& model) {
  run_name_.clear();
  end_run("interrupted");
  training_.reset();
  model_.reset();
  network_ = nullptr;
  data_name_ = data, model_name_ = model;
  send_text(json{{"type", "progress"}, {"data", data}, {"model", model}, {"phase", "loading"}}.dump());
  const train::ImageConfig config = train::parse_image_config(digits_config(model));
  reservation_ = {};
  reservation_ = reserve_memory(memory_, network_bytes(config, true), "training this network",
                                "stop a training run in another tab, or start the server with a larger limit");
  data_ = data_cache_.get(config, data_dir(data));
  training_ = std::make_unique<train::ImageTraining>(config, *data_);
  step_in_epoch_ = 0;
  last_epoch_ = {};
  timeline_ = train::ImageTimeline(data_->train.size());
  timeline_.maybe_record(training_->network(), 0, 0, 0, std::nan(""));
  if (!options_.runs_dir.empty() && options_.live) {
    try {
      const json header{{"format", "netlens model"}, {"config", config.json}, {"dataset", data}, {"classes", train::class_names(data)}};
      recorder_ = std::make_unique<RunRecorder>(options_.runs_dir, *options_.live, data, model, header);
    } catch (const std::exception& e) {
      send_error(std::nullopt, std::string("runs folder: ") + e.what() + "; the run trains, but Lurk cannot follow it");
    }
    record_run();
  }
  use_network(training_->network(), config.network, {{"config", config.json}, {"dataset", data}});
  send_progress(false);
  infer();
}

void DigitsSession::train_for_a_while() {
  const auto until = Clock::now() + kTrainSlice;
  while (training_ && Clock::now() < until) {
    training_->step();
    if (timeline_.maybe_record(training_->network(), training_->examples_seen(), training_->steps(), training_->epoch(),
                               last_epoch_.epoch > 0 ? last_epoch_.validation_loss : std::nan(""))) {
      record_run();
      send_checkpoints();
    }
    if (++step_in_epoch_ < training_->steps_per_epoch()) continue;
    step_in_epoch_ = 0;
    last_epoch_ = training_->end_epoch();
    if (!std::isfinite(last_epoch_.validation_loss)) {
      // Nothing worth saving: the saved model, if any, comes back.
      end_run("diverged");
      training_.reset();
      network_ = nullptr;
      send_error(std::nullopt, "training diverged at epoch " + std::to_string(last_epoch_.epoch) +
            ": the validation loss is not finite; nothing was saved");
      if (std::filesystem::exists(model_path(data_name_, model_name_))) load_or_train(data_name_, model_name_, false);
      return;
    }
    send_progress(false);
    if (training_->should_stop()) finish_training("done");
  }
}

// Keeps the best epoch's weights and measures them on the test set; they end the run's directory
// (`status`). They replace the saved model of this kind only when they do at least as well there
// (a run stopped early must not overwrite a good model); the checkpoints go with the model they
// belong to.
DigitsSession::Outcome DigitsSession::save_training(const std::string& status) {
  if (training_->epoch() > 0) training_->restore_best();
  Outcome outcome{training_->evaluate_test(), true, std::nan("")};
  const auto path = model_path(data_name_, model_name_);
  if (std::filesystem::exists(path)) {
    try {
      outcome.saved_accuracy = nn::load_model(path).header.value("test_accuracy", std::nan(""));
    } catch (const Error&) {
      // An unreadable saved model is no model to keep.
    }
    outcome.replaced = !(outcome.saved_accuracy > outcome.test.accuracy);
  }
  const json header = train::model_header(training_->config(), data_name_, training_->epoch(), outcome.test);
  timeline_.finish(training_->network(), training_->examples_seen(), training_->steps(), training_->epoch(),
                   outcome.test.loss);
  if (recorder_) {
    try {
      recorder_->finish(timeline_, training_->network(), header, training_->epoch(), status);
    } catch (const std::exception& e) {
      send_error(std::nullopt, std::string("runs folder: ") + e.what());  // the models folder is saved all the same
    }
    recorder_.reset();
  }
  if (!outcome.replaced) return outcome;
  std::filesystem::create_directories(options_.models_dir);
  nn::save_model(path, header, training_->network());
  timeline_.save(timeline_path(data_name_, model_name_));
  return outcome;
}

// A write that fails (a full disk) ends the recording, not the training.
void DigitsSession::record_run() {
  if (!recorder_) return;
  try {
    recorder_->record(timeline_, training_->network(), training_->epoch(),
                      last_epoch_.epoch > 0 ? last_epoch_.validation_loss : std::nan(""));
  } catch (const std::exception& e) {
    send_error(std::nullopt, std::string("runs folder: ") + e.what() + "; the run trains on, but Lurk no longer follows it");
    recorder_.reset();
  }
}

void DigitsSession::end_run(const std::string& status) {
  if (!recorder_) return;
  try {
    recorder_->end(status);
  } catch (const std::exception& e) {
    std::cerr << "netlens: digits: " << e.what() << "\n";
  }
  recorder_.reset();
}

// Saves the run when it is the better model, then serves the saved one, saying which it is.
void DigitsSession::finish_training(const std::string& status) {
  const int epoch = training_->epoch(), epochs = training_->config().epochs;
  const Outcome outcome = save_training(status);
  send_models();  // the saved model may be a new file
  training_.reset();
  json done{{"type", "progress"}, {"data", data_name_}, {"model", model_name_}, {"phase", "done"},
            {"epoch", epoch}, {"epochs", epochs}, {"test_accuracy", outcome.test.accuracy},
            {"test_loss", outcome.test.loss}, {"kept", outcome.replaced ? "run" : "saved"}};
  if (std::isfinite(outcome.saved_accuracy)) done["saved_test_accuracy"] = outcome.saved_accuracy;
  send_text(done.dump());
  load_or_train(data_name_, model_name_, false);
}

}  // namespace netlens::server::digits
