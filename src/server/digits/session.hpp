#pragma once
// DigitsSession: the Digits view's session of one /ws/digits connection, on the session actor's thread. It
// holds an image network (a trained model from the models folder, or one being trained),
// answers each drawing with every stage's activations and the class probabilities, hands out
// test images of a class, and trains an MLP or CNN on MNIST or Fashion-MNIST on request,
// streaming progress and re-running the newest drawing through the network as it learns. When
// the default model (MNIST MLP) is not in the models folder yet, it trains it first and saves it.
// Training records checkpoints (train::ImageTimeline), saved beside the model; the client may
// show the drawing through the network at any of them while the run goes on. With a runs folder,
// each training run is also a run directory written as it trains (RunRecorder), which Lurk follows.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "nn/model_file.hpp"
#include "probe/network_stages.hpp"
#include "server/common/session_actor.hpp"
#include "server/digits/commands.hpp"
#include "server/digits/data_cache.hpp"
#include "server/digits/run_recorder.hpp"
#include "train/image_timeline.hpp"
#include "train/image_training.hpp"

namespace netlens::server::digits {

struct DigitsOptions {
  std::filesystem::path models_dir;  // <data>-<model>.nlmodel files, written after training
  std::string mnist_dir;             // empty: train::dataset_dir("mnist")
  std::filesystem::path runs_dir = {};  // serve --runs: open_run's runs, and each training run's; empty: none
  LiveRuns* live = nullptr;             // where a training run is listed while it trains (with runs_dir)
};

// The configs the view trains: "mlp" 784-128-64-10 and "cnn" (the classic layers on 28 × 28).
nlohmann::json digits_config(const std::string& model);

// An upper bound of what a session holds for a network of `config`: while training (weights,
// gradients, Adam's moments, the best epoch's copy, the batch's activations) or not, its
// checkpoints and the network that shows one. The data set is counted once, by ImageDataCache.
std::size_t network_bytes(const train::ImageConfig& config, bool training);
std::size_t network_bytes(const nn::ImageNetworkSpec& network, int batch_size, bool training);  // a loaded model: no batch

class DigitsSession final : public SessionActor<Command> {
 public:
  // `memory` and `data` must outlive this.
  DigitsSession(Outbox& outbox, DigitsOptions options, Budget& memory, ImageDataCache& data);
  ~DigitsSession() override;  // saves a run that has finished an epoch (as stop does), then joins the thread

 private:
  Command parse(const std::string& type, const nlohmann::json& message) const override;
  std::string coalescing_key(const Command& command) const override;  // a newer drawing replaces a waiting one
  void begin() override;
  void apply(Command& command) override;
  bool running() const override { return training_ != nullptr; }
  void tick() override;  // trains for a while; progress and the drawing's activations now and then
  void recover() override;
  void finish() override;

  void on(const Infer& command);
  void on(const Sample& command);
  void on(const Train& command);
  void on(const Load& command);
  void on(const Open& command);
  void on(const OpenRun& command);
  void on(const Stop&);
  void on(const ShowCheckpoint& command);

  // A model file whatever wrote it, its checkpoints beside it (FILE.checkpoints); `name` is what
  // the page shows, `run` the run it came from ("" for the models folder's).
  void open_model(const std::filesystem::path& path, const std::string& name, const std::string& run);
  void load_or_train(const std::string& data, const std::string& model, bool train);
  void start_training(const std::string& data, const std::string& model);
  void train_for_a_while();
  struct Outcome {
    train::Evaluation test;  // the run's best epoch on the test set
    bool replaced;           // the run is now the saved model
    double saved_accuracy;   // the saved model's test accuracy before, NaN when there was none
  };
  Outcome save_training(const std::string& status);
  void record_run();                           // the new checkpoint into the run's directory
  void end_run(const std::string& status);     // a run that ends unsaved
  void finish_training(const std::string& status);
  void use_network(nn::Network& network, const nn::ImageNetworkSpec& spec, const nlohmann::json& info);
  void send_models();   // the "models" message: the models folder's files
  void send_model();    // the "model" message, then the weights
  nlohmann::json stages_message() const;
  void send_weights();  // the shown network's weights (NLDW)
  void send_progress(bool done);
  void infer();
  void send_checkpoints();
  nn::Network& shown();             // the network the client sees: a checkpoint's or the current one
  std::string data_dir(const std::string& data) const;
  std::filesystem::path model_path(const std::string& data, const std::string& model) const;
  std::filesystem::path timeline_path(const std::string& data, const std::string& model) const;

  DigitsOptions options_;
  Budget& memory_;
  ImageDataCache& data_cache_;

  // Owned by the session thread.
  Budget::Reservation reservation_;   // for the network state below
  std::unique_ptr<nn::Model> model_;  // a loaded model, or null while training
  std::shared_ptr<const train::ImageData> data_;
  std::unique_ptr<train::ImageTraining> training_;
  std::string data_name_, model_name_;
  std::string run_name_;            // the run opened by open_run, "" otherwise
  nn::Network* network_ = nullptr;  // the model's or the training's
  nn::ImageNetworkSpec spec_;
  nlohmann::json info_;
  std::vector<probe::Stage> stages_;
  nn::Workspace ws_;
  train::ImageTimeline timeline_;
  std::unique_ptr<RunRecorder> recorder_;  // the training run's directory, while it trains
  std::unique_ptr<nn::Network> checkpoint_network_;  // holds the shown checkpoint's weights
  nn::Workspace checkpoint_ws_;
  int shown_checkpoint_ = -1;
  std::vector<float> drawing_;  // the newest drawing, prepared (28 × 28), empty before the first
  int step_in_epoch_ = 0;
  std::uint32_t seq_ = 0;
  train::EpochReport last_epoch_;
  Clock::time_point last_refresh_, last_weights_;
};

}  // namespace netlens::server::digits
