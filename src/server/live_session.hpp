#pragma once
// LiveSession: one train::Session driven on its own thread for one WebSocket connection.
// Commands (play, pause, step, reset, set_spec, ...) go into a small queue the thread drains
// between frames. After each change the thread publishes an immutable Frame; readers take the newest
// with frame() and skip the ones they missed, so a slow reader never grows memory.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "probe/output_grid.hpp"
#include "probe/probability_map.hpp"
#include "probe/unit_maps.hpp"
#include "server/budget.hpp"
#include "server/protocol.hpp"
#include "server/timeline_view.hpp"
#include "train/playground_export.hpp"
#include "train/run_spec.hpp"
#include "train/session.hpp"
#include "train/timeline.hpp"

namespace netlens::server {

inline constexpr int kGridResolution = 100;  // the output heatmap's points per side
inline constexpr const char* kThreadName = "netlens session";  // as top -H and /proc show it
inline constexpr auto kFramePeriod = std::chrono::microseconds(1'000'000 / 60);  // at most 60 frames/s
// The live timeline keeps at most this many checkpoints (the default schedule takes 35 over a
// 10,000-epoch run), and at most kMaxTimelineBytes of snapshots: a wide network keeps fewer.
inline constexpr std::size_t kMaxLiveCheckpoints = 64;
inline constexpr std::size_t kMaxTimelineBytes = 16 << 20;

// The "spec" and "data" messages of one run; a new run starts at each set_spec.
struct RunMessages {
  std::string spec, data;
};

struct Frame {
  std::uint32_t seq = 0;  // counts frames of this LiveSession, from 0
  bool running = false;
  train::Metrics metrics;
  std::shared_ptr<const RunMessages> run;  // the run this frame belongs to
  std::string state;                       // the "state" message
  std::string body;                        // the binary frame message, same seq
};

class LiveSession {
 public:
  // Builds the session and publishes its epoch-0 frame before returning (throws Error for a bad
  // spec, or one that does not fit in `memory`). on_publish runs on the session thread after
  // each later frame, on_error when a command fails there (with the error's text), on_reply
  // with a text message to send (export, timeline), on_binary with a binary one (checkpoint,
  // export_gif); all must be quick and must not call back into this LiveSession. `memory`,
  // when given, must outlive this: each run reserves its estimate_bytes there before it is
  // built and releases it when replaced.
  LiveSession(train::RunSpec spec, std::function<void()> on_publish,
              std::function<void(const std::string&)> on_error = {},
              std::function<void(const std::string&)> on_reply = {}, Budget* memory = nullptr,
              std::function<void(std::string)> on_binary = {});
  ~LiveSession();  // stops the thread and joins it
  LiveSession(const LiveSession&) = delete;
  LiveSession& operator=(const LiveSession&) = delete;

  void play();   // train epochs_per_frame epochs per frame, at most 60 frames a second
  void pause();  // publishes a frame with running false if it was running
  void step();   // pause, then one epoch and its frame
  void reset();  // pause, initial weights, epoch 0, and its frame
  // Validates `changes` against the latest accepted spec now, on the caller's thread: a bad
  // spec throws Error "spec.<field>: ...", one that does not fit in the memory budget
  // "memory: ..." (the run goes on untouched); a good one is queued, and the thread rebuilds
  // the session (paused, epoch 0) and publishes a frame of a new run. Uploaded and added points
  // are kept unless the changes touch the data (dataset, noise, num_samples, data_seed).
  void set_spec(const nlohmann::json& changes);
  // Validates the model now (throws Error naming the path, or "memory: ..."); the thread rebuilds the run from
  // its spec and loads its weights.
  void import_model(const nlohmann::json& model);
  // The rest are checked on the session thread; errors go to on_error.
  void set_run(const Command& command);                    // pace and stop rules
  void set_param(int layer, int unit, int input, float value);
  void add_point(const data::Point2D& point);              // joins the training set
  void upload(std::vector<data::Point2D> points, std::string name);  // replaces the data set
  void prune(int layer, int count, train::PruneBy by);
  void export_model();                                     // on_reply gets the export message
  // Timeline: every run records checkpoints on the default schedule (train::Schedule), in
  // memory; a new run or a reset starts a new timeline, and on_reply gets a `timeline` message
  // whenever its list changes. Past the cap each new checkpoint replaces the last.
  // on_binary gets the checkpoint's map and network (a newer request replaces one still
  // waiting), or the GIF; a position the timeline does not have goes to on_error.
  void show_checkpoint(const TimelineRequest& request);
  void export_gif(const TimelineRequest& request);
  // When this session stops (its tab closed, the server stopping), a run that trained at least
  // one epoch is saved as a new run directory under `runs_dir` (docs/run-format.md): its
  // timeline and its state at the end, which `netlens render --run` reads. Empty: not saved.
  void save_on_stop(std::filesystem::path runs_dir);
  // How many checkpoints a live timeline of this spec's network keeps (2..kMaxLiveCheckpoints).
  static std::size_t timeline_capacity(const train::RunSpec& spec);

  // An upper bound of the memory a run of `spec` needs: its Session, its grids and unit maps,
  // its data message and the frames in flight.
  static std::size_t estimate_bytes(const train::RunSpec& spec);

  std::shared_ptr<const Frame> frame() const;  // the newest frame, never null
  train::RunSpec spec() const;                 // the latest accepted spec
  std::size_t pending() const;                 // commands not yet applied

 private:
  struct Job {
    enum Type { Play, Pause, Step, Reset, SetSpec, Import, SetRun, SetParam, AddPoint, Upload, Prune, Export, Checkpoint, ExportGif };
    Job(Type t) : type(t) {}  // implicit, so push({Job::Play}) reads well
    Type type;
    train::RunSpec spec;       // SetSpec, Import
    bool keep_points = false;  // SetSpec
    std::vector<std::vector<float>> params;  // Import
    Command command{};         // SetRun, SetParam, AddPoint, Prune, Checkpoint, ExportGif
    std::vector<data::Point2D> points;       // Upload
    std::string name;                        // Upload
    Budget::Reservation reservation;         // SetSpec, Import: the new run's memory
  };

  Budget::Reservation reserve(const train::RunSpec& spec) const;
  void push(Job job);
  void loop();
  template <class F>
  void guarded(F&& work);
  void apply(Job& job);
  template <class F>
  bool try_command(const char* command, F&& work);
  void rebuild(const train::RunSpec& spec, train::CustomPoints custom);
  void start_timeline();  // a new timeline whose checkpoint 0 is the session as it is now
  void train_epoch();     // one epoch, recording the checkpoints that fall due
  void announce_timeline();
  void save_run(const std::filesystem::path& runs_dir);
  void announce_data();  // new spec and data messages after the points changed
  void publish();

  std::function<void()> on_publish_;
  std::function<void(const std::string&)> on_error_, on_reply_;
  std::function<void(std::string)> on_binary_;
  Budget* memory_;
  Budget::Reservation reservation_;  // the current run's memory

  // Owned by the session thread (and by the constructor before it starts).
  std::unique_ptr<train::Session> session_;
  std::unique_ptr<probe::OutputGrid> grid_;
  std::unique_ptr<probe::UnitMaps> units_;
  std::unique_ptr<probe::ProbabilityMap> class_map_;  // more than two classes: a map per class
  std::unique_ptr<train::SnapshotStore> timeline_;    // this run's checkpoints, in memory
  std::unique_ptr<TimelineView> timeline_view_;
  std::uint32_t timelines_ = 0;                       // counts timelines, from 1
  std::vector<float> params_;  // the frame's copy of every parameter
  std::shared_ptr<const RunMessages> run_;
  std::uint32_t seq_ = 0, runs_ = 0;
  std::string uploaded_name_;
  RunSettings settings_;
  std::string stopped_;  // why a stop rule paused the run, for the next frame
  double last_test_loss_ = 0;  // the last frame's, to see a stop threshold crossed
  bool running_ = false;
  std::chrono::steady_clock::time_point next_frame_;
  bool announce_ = false;  // false for the constructor's frame, which is read, not announced

  mutable std::mutex mutex_;  // guards what follows
  std::condition_variable wake_;
  std::vector<Job> commands_;
  train::RunSpec accepted_spec_;
  std::shared_ptr<const Frame> frame_;
  bool stopping_ = false;
  std::filesystem::path runs_dir_;

  std::thread thread_;  // last: starts after everything above exists
};

}  // namespace netlens::server
