#pragma once
// LurkSession: the Lurk view's session of one /ws/lurk connection, on the session actor's
// thread. It opens a model of the models folder with the test split of its data set, runs the
// dataset pass in steps (a chunk of images per tick, with progress, so other commands are still
// answered) or reads it from the Lurk cache beside the model (export/lurk_cache.hpp, the cache of
// `netlens lurk --split test`), and answers what the page asks of the engine (probe/lurk): a
// layer's units, a unit's top images with their fields and gradients, a unit's dream, how a conv
// unit computes at a position, and why the network answers what it answers for a drawing or a
// test image. The checkpoints the Digits view saved beside a model can be shown instead of it:
// each has its own pass, cached beside the model's. It can also train the Digits view's MLP or CNN
// itself and follow the run: at each checkpoint (the newest one when a pass ends) the pass is
// computed again, in a folder of the session's own, and the page's panels follow. A model of
// the models folder may be a .onnx; a run directory of the runs folder opens with its checkpoints.
#include <array>
#include <chrono>
#include <map>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "export/lurk_cache.hpp"
#include "probe/lurk/images.hpp"
#include "nn/model_file.hpp"
#include "probe/lurk/backprop.hpp"
#include "probe/lurk/dataset_pass.hpp"
#include "server/common/live_runs.hpp"
#include "server/common/session_actor.hpp"
#include "server/lurk/commands.hpp"
#include "server/digits/data_cache.hpp"
#include "server/net/budget.hpp"
#include "train/image_training.hpp"
#include "train/image_timeline.hpp"

namespace netlens::server::lurk {

struct LurkOptions {
  std::filesystem::path models_dir{};  // the models the page may open (.nlmodel, .onnx), the Digits view's folder
  std::string mnist_dir{};             // empty: train::dataset_dir("mnist")
  std::filesystem::path runs_dir{};    // the run directories the page may open (open_run); empty: none
  const LiveRuns* live = nullptr;      // the runs being written now, which open_run follows; null: none
};

// The run directories of `dir` that hold a model (train::kRunModelName), sorted; none when it does not exist.
std::vector<std::string> list_model_runs(const std::filesystem::path& dir);

class LurkSession final : public SessionActor<Command> {
 public:
  // `memory` and `data` must outlive this.
  LurkSession(Outbox& outbox, LurkOptions options, Budget& memory, digits::ImageDataCache& data);
  ~LurkSession() override;

 private:
  static constexpr int kTop = 9;        // top images per unit, as `netlens lurk` keeps by default
  static constexpr int kChunk = 1000;   // images of the pass per tick, between two looks at the commands
  static constexpr int kCapacity = 32;  // the batch of Backprop: top images, attribution variants
  static constexpr const char* kSplit = "test";
  // Between two ticks' starts: a pass chunk takes longer than this, and a followed run waiting for
  // the page to see its checkpoint waits on the queue instead of spinning.
  static constexpr auto kTickPeriod = std::chrono::milliseconds(20);
  // A run trained here is passed over the first 2,000 test images, so each checkpoint's pass keeps up.
  static constexpr int kLiveImages = 2000;
  static constexpr auto kFollowDwell = std::chrono::milliseconds(1500);
  static constexpr auto kFollowWait = std::chrono::seconds(10);
  static constexpr auto kPollPeriod = std::chrono::seconds(1);  // a followed run's folder is looked at so often

  Command parse(const std::string& type, const nlohmann::json& message) const override;
  std::string coalescing_key(const Command& command) const override;  // a newer explain replaces a waiting one
  void begin() override;
  void apply(Command& command) override;
  // A pass, a run, or a newer checkpoint of a followed run waiting to be shown.
  bool running() const override {
    return pass_ || training_ || !followed_run_.empty() || layer_dreams_.layer >= 0 || (follow_ && static_cast<int>(timeline_.checkpoints().size()) - 1 > shown_checkpoint_);
  }
  void tick() override;  // training for a while, a chunk of the dataset pass
  void finish() override;  // removes a live run's passes
  void recover() override;

  void on(const Open& command);
  void on(const OpenRun& command);
  // Opens the model at `path` (its checkpoints in `checkpoints`, when that exists) as `name`.
  // `live`: a run that goes on (passes over the first kLiveImages test images, so each keeps up).
  void open_model(const std::filesystem::path& path, const std::filesystem::path& checkpoints, const std::string& name,
                  bool live);
  void on(const ShowLayer& command);
  void on(const ShowUnit& command);
  void on(const DreamUnit& command);
  void on(const DreamLayer& command);
  void dream_next_unit();  // the next unit of layer_dreams_
  void on(const Sample& command);
  void on(const Explain& command);
  void on(const Sanity& command);
  void on(const Operate& command);
  void on(const ShowCheckpoint& command);
  void on(const Train& command);
  void on(const Stop&);

  void show_checkpoint(int index);
  void train_for_a_while();
  void end_training();
  void send_checkpoints();
  void send_training(const char* phase);
  void close_live_run();
  void follow_run(const std::filesystem::path& dir);
  void poll_followed_run();
  void send_following(const char* phase);  // "training" with phase "following" or "done", model "run"

  nn::Model& shown() { return checkpoint_model_ && shown_checkpoint_ >= 0 ? *checkpoint_model_ : *model_; }
  void start_pass();  // the shown network's pass: from its cache, or started
  void need_model() const;
  const nlohmann::json& need_manifest() const;
  void finish_pass();
  const float* image(int index) const;
  const std::map<int, std::array<float, 2>>& gradient_maxima();

  LurkOptions options_;
  Budget& memory_;
  digits::ImageDataCache& data_cache_;

  // Owned by the session thread.
  Budget::Reservation reservation_;
  std::unique_ptr<nn::Model> model_;
  std::string model_name_, dataset_;
  std::vector<std::string> classes_;
  probe::lurk::LurkImages images_;  // the test split at the model's input size
  exports::LurkKey key_;
  std::filesystem::path model_cache_dir_, cache_dir_;  // the trained model's cache, the shown network's
  train::ImageTimeline timeline_;                    // the model's checkpoints, none when it has none
  std::unique_ptr<nn::Model> checkpoint_model_;      // holds the shown checkpoint's weights
  int shown_checkpoint_ = -1;
  // A run trained here: its data, its training, and the folder of its passes; follow_ while the
  // view shows the newest checkpoint as it comes.
  std::shared_ptr<const train::ImageData> data_;
  std::unique_ptr<train::ImageTraining> training_;
  std::filesystem::path live_dir_;
  std::string live_kind_;  // the run's network: "mlp" | "cnn"
  // A run another session writes (the Digits view's training, an ingest stream), while it is
  // live: its folder, and when its checkpoints were last read.
  std::filesystem::path followed_run_;
  std::filesystem::file_time_type checkpoints_read_{};
  Clock::time_point last_poll_;
  bool follow_ = false;
  bool unit_shown_ = true;  // a unit of the shown pass has been sent since it was done
  int step_in_epoch_ = 0;
  Clock::time_point last_progress_;
  std::unique_ptr<probe::lurk::DatasetPass> pass_;  // while the pass runs
  std::unique_ptr<probe::lurk::Backprop> bp_;
  nlohmann::json manifest_;  // null until the pass is done
  std::map<int, std::array<float, 2>> gradient_max_;  // per scored layer, of the pass shown; empty until asked for
  Clock::time_point pass_start_, pass_end_;
  std::vector<float> input_;  // the last explain's input, at the model's input size
  std::uint32_t seq_ = 0;
  struct {
    int layer = -1, units = 0, next = 0;  // layer -1: none asked for
  } layer_dreams_;
};

}  // namespace netlens::server::lurk
