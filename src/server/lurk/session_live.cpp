#include <unistd.h>

#include <atomic>
#include <cmath>

#include "core/error.hpp"
#include "nn/image_network.hpp"
#include "server/common/memory.hpp"
#include "server/digits/session.hpp"
#include "server/lurk/messages.hpp"
#include "server/lurk/session.hpp"
#include "train/image_data.hpp"
#include "train/run_folder.hpp"
#include "train/snapshot.hpp"

// The checkpoints a model has beside it, and a run that the view follows: one trained here, or
// one another session writes into the runs folder (the Digits view's training, an ingest stream).
namespace netlens::server::lurk {

using nlohmann::json;
namespace fs = std::filesystem;

// A checkpoint's weights go into a network of their own; its pass starts (or is read) as the
// model's does, and `checkpoint` says which is shown before the pass's progress. In a run
// trained here, -1 follows the newest checkpoint.
void LurkSession::on(const ShowCheckpoint& c) {
  need_model();
  const auto& list = timeline_.checkpoints();
  if (c.index >= static_cast<int>(list.size()))
    throw Error("index", std::to_string(c.index) + (list.empty() ? ": this model has no checkpoints"
                                                                 : " is past the last checkpoint (" +
                                                                       std::to_string(static_cast<int>(list.size()) - 1) + ")"));
  follow_ = !live_dir_.empty() && c.index < 0;
  show_checkpoint(follow_ ? static_cast<int>(list.size()) - 1 : c.index);
}

void LurkSession::show_checkpoint(int index) {
  const auto& list = timeline_.checkpoints();
  if (index >= 0) train::restore_weights(checkpoint_model_->network, list[static_cast<std::size_t>(index)].weights, "checkpoint");
  shown_checkpoint_ = index;
  send_text(json{{"type", "checkpoint"}, {"shown", index}, {"follow", follow_}}.dump());
  start_pass();
}

void LurkSession::send_checkpoints() {
  json list = json::array();
  for (const auto& c : timeline_.checkpoints()) list.push_back({{"examples", c.examples}, {"epoch", c.epoch}});
  send_text(json{{"type", "checkpoints"}, {"list", std::move(list)}}.dump());
}

// The Digits view's MLP or CNN, trained here on its data set; the test split of that set is what the
// passes look at. A model open before is closed.
void LurkSession::on(const Train& c) {
  const train::ImageConfig config = train::parse_image_config(digits::digits_config(c.model));
  const std::string dir = c.data == "mnist" && !options_.mnist_dir.empty() ? options_.mnist_dir : train::dataset_dir(c.data);
  const json header{{"config", config.json}, {"dataset", c.data}};
  auto model = std::make_unique<nn::Model>(nn::Model{header, config.network, nn::build_image_network(config.network, 1)});
  probe::lurk::LurkImages images = probe::lurk::load_lurk_images(*model, c.data, kSplit, dir, kLiveImages);
  Budget::Reservation reservation = reserve_memory(
      memory_, digits::network_bytes(config, true) + images.images.size() * sizeof(float) + (8u << 20), "training this network",
      "stop a training run in another tab, or start the server with a larger limit");
  auto data = data_cache_.get(config, dir);

  close_live_run();
  reservation_ = std::move(reservation);
  pass_.reset();
  data_ = std::move(data);
  model_ = std::move(model);
  checkpoint_model_ = std::make_unique<nn::Model>(nn::Model{header, config.network, nn::build_image_network(config.network, 1)});
  model_name_ = c.data + " " + c.model + ", training";
  live_kind_ = c.model;
  input_.clear();
  dataset_ = c.data;
  classes_ = train::class_names(c.data);
  images_ = std::move(images);
  training_ = std::make_unique<train::ImageTraining>(config, *data_);
  step_in_epoch_ = 0;
  timeline_ = train::ImageTimeline(data_->train.size());
  timeline_.maybe_record(training_->network(), 0, 0, 0, std::nan(""));
  static std::atomic<int> runs{0};
  live_dir_ = fs::temp_directory_path() / ("netlens-lurk-run-" + std::to_string(::getpid()) + "-" + std::to_string(++runs));
  model_cache_dir_ = live_dir_ / (c.data + "-" + kSplit);
  json message = network_message(model_name_, model_->network, classes_, dataset_, kSplit, images_.size());
  message["checkpoints"] = json::array();
  message["live"] = true;
  send_text(message.dump());
  send_checkpoints();
  follow_ = true;
  send_training("training");
  show_checkpoint(0);
}

void LurkSession::on(const Stop&) {
  if (training_) end_training();
}

void LurkSession::train_for_a_while() {
  const auto until = Clock::now() + std::chrono::milliseconds(100);
  while (training_ && Clock::now() < until) {
    training_->step();
    if (timeline_.maybe_record(training_->network(), training_->examples_seen(), training_->steps(), training_->epoch(), std::nan("")))
      send_checkpoints();
    if (++step_in_epoch_ < training_->steps_per_epoch()) continue;
    step_in_epoch_ = 0;
    training_->end_epoch();
    if (training_->should_stop()) return end_training();
  }
  if (training_ && Clock::now() - last_progress_ > std::chrono::milliseconds(300)) {
    last_progress_ = Clock::now();
    send_training("training");
  }
}

// The run's last weights become its last checkpoint; the view can scrub through them all.
void LurkSession::end_training() {
  timeline_.finish(training_->network(), training_->examples_seen(), training_->steps(), training_->epoch(), std::nan(""));
  send_checkpoints();
  send_training("done");
  training_.reset();
  data_.reset();
}

// An open run that another session is writing: its passes go to a folder of this session's own
// (as a run trained here), and the newest checkpoint is followed as the run goes on.
void LurkSession::follow_run(const fs::path& dir) {
  static std::atomic<int> followed{0};
  live_dir_ = fs::temp_directory_path() / ("netlens-lurk-follow-" + std::to_string(::getpid()) + "-" + std::to_string(++followed));
  model_cache_dir_ = live_dir_ / (dataset_ + "-" + kSplit);
  followed_run_ = dir;
  std::error_code ec;
  checkpoints_read_ = fs::last_write_time(dir / train::kRunCheckpointsName, ec);
  last_poll_ = Clock::now();
  live_kind_ = "run";
  send_following("following");
  follow_ = true;
  show_checkpoint(static_cast<int>(timeline_.checkpoints().size()) - 1);
}

// Its checkpoints are read again when their folder has changed; once the run is no longer live,
// a last time (its final weights), and then it is a run like any other.
void LurkSession::poll_followed_run() {
  last_poll_ = Clock::now();
  const std::string name = followed_run_.filename().string();
  const bool live = options_.live->writes(name);
  const fs::path dir = followed_run_ / train::kRunCheckpointsName;
  std::error_code ec;
  const auto written = fs::last_write_time(dir, ec);
  if (!ec && written != checkpoints_read_) {
    try {
      train::ImageTimeline read = train::ImageTimeline::load(dir, model_->network.param_count());
      checkpoints_read_ = written;
      timeline_ = std::move(read);
      send_checkpoints();
    } catch (const std::exception&) {
      // Caught between two of the writer's files (a folder replaced as it was listed): read at the next look.
      if (live) return;
    }
  }
  if (live) return;
  send_following("done");
  followed_run_.clear();
}

void LurkSession::send_following(const char* phase) {
  send_text(json{{"type", "training"}, {"phase", phase}, {"data", dataset_}, {"model", "run"},
                 {"run", followed_run_.filename().string()}}.dump());
}

void LurkSession::send_training(const char* phase) {
  json t{{"type", "training"}, {"phase", phase}, {"data", dataset_}, {"model", live_kind_}};
  if (training_)
    t.update({{"epoch", training_->epoch()}, {"epochs", training_->config().epochs}, {"step", step_in_epoch_},
              {"steps", training_->steps_per_epoch()}, {"examples", training_->examples_seen()}});
  send_text(t.dump());
}

void LurkSession::close_live_run() {
  training_.reset();
  data_.reset();
  follow_ = false;
  followed_run_.clear();
  if (live_dir_.empty()) return;
  std::error_code ec;
  fs::remove_all(live_dir_, ec);
  live_dir_.clear();
}

void LurkSession::finish() { close_live_run(); }

}  // namespace netlens::server::lurk
