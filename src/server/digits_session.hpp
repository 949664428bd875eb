#pragma once
// DigitsSession: the Digits view's side of one /ws/digits connection, on its own thread. It
// holds an image network (a trained model from the models folder, or one being trained),
// answers each drawing with every stage's activations and the class probabilities, hands out
// test images of a class, and trains an MLP or CNN on MNIST or Fashion-MNIST on request,
// streaming progress and re-running the newest drawing through the network as it learns. When
// the default model (MNIST MLP) is not in the models folder yet, it trains it first and saves it.
// Training records checkpoints (train::ImageTimeline), saved beside the model; the client may
// show the drawing through the network at any of them while the run goes on.
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "nn/model_file.hpp"
#include "probe/network_stages.hpp"
#include "server/digits_protocol.hpp"
#include "train/image_timeline.hpp"
#include "train/image_training.hpp"

namespace netlens::server {

struct DigitsOptions {
  std::filesystem::path models_dir;  // <data>-<model>.nlmodel files, written after training
  std::string mnist_dir;             // empty: train::dataset_dir("mnist")
};

// The configs the view trains: "mlp" 784-128-64-10 and "cnn" (the classic layers on 28 × 28).
nlohmann::json digits_config(const std::string& model);

class DigitsSession {
 public:
  // send(bytes, binary) runs on the session thread; it must be quick and not call back in.
  using Send = std::function<void(std::string bytes, bool binary)>;
  DigitsSession(DigitsOptions options, Send send);
  ~DigitsSession();  // saves a run that has finished an epoch (as stop does), then joins the thread
  DigitsSession(const DigitsSession&) = delete;
  DigitsSession& operator=(const DigitsSession&) = delete;

  // Parses a client message now (throws Error for a bad one) and queues it for the thread; a
  // newer drawing replaces one still waiting.
  void handle(std::string_view text);

 private:
  void loop();
  void apply(DigitsCommand& command);
  void load_or_train(const std::string& data, const std::string& model, bool train);
  void start_training(const std::string& data, const std::string& model);
  void train_for_a_while();
  train::Evaluation save_training();
  void finish_training();
  void use_network(nn::Network& network, const nn::ImageNetworkSpec& spec, const nlohmann::json& info);
  void send_model();    // the "model" message, then the weights
  void send_weights();  // the shown network's weights (NLDW)
  void send_progress(bool done);
  void infer();
  void show_checkpoint(int index);  // -1: the current weights
  void send_checkpoints();
  nn::Network& shown();             // the network the client sees: a checkpoint's or the current one
  void sample(int label);
  void error(const std::string& message);
  std::filesystem::path model_path(const std::string& data, const std::string& model) const;
  std::filesystem::path timeline_path(const std::string& data, const std::string& model) const;

  DigitsOptions options_;
  Send send_;

  // Owned by the session thread.
  std::unique_ptr<nn::Model> model_;  // a loaded model, or null while training
  std::unique_ptr<train::ImageData> data_;
  std::unique_ptr<train::ImageTraining> training_;
  std::string data_name_, model_name_;
  nn::Network* network_ = nullptr;  // the model's or the training's
  nn::ImageNetworkSpec spec_;
  nlohmann::json info_;
  std::vector<probe::Stage> stages_;
  nn::Workspace ws_;
  train::ImageTimeline timeline_;
  std::unique_ptr<nn::Network> checkpoint_network_;  // holds the shown checkpoint's weights
  nn::Workspace checkpoint_ws_;
  int shown_checkpoint_ = -1;
  std::vector<float> drawing_;  // the newest drawing, prepared (28 × 28), empty before the first
  int step_in_epoch_ = 0;
  std::uint32_t seq_ = 0;
  train::EpochReport last_epoch_;
  std::vector<std::pair<std::vector<float>, int>> test_images_;  // for sample: (28 × 28, label)
  std::string test_images_of_;

  std::mutex mutex_;  // guards what follows
  std::condition_variable wake_;
  std::vector<DigitsCommand> commands_;
  bool stopping_ = false;

  std::thread thread_;  // last: starts after everything above exists
};

}  // namespace netlens::server
