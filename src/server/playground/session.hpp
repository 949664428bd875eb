#pragma once
// PlaygroundSession: the Playground's session of one /ws connection: a train::Session driven on
// the session actor's thread. After each change the thread publishes an immutable Frame (the
// "state" message and the binary frame); the connection sends the newest when its socket is free
// and skips the ones it missed, so a slow reader never grows memory.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "probe/output_grid.hpp"
#include "probe/probability_map.hpp"
#include "probe/unit_maps.hpp"
#include "server/common/live_runs.hpp"
#include "server/common/session_actor.hpp"
#include "server/net/budget.hpp"
#include "server/playground/commands.hpp"
#include "server/playground/follow.hpp"
#include "server/playground/messages.hpp"
#include "server/playground/timeline_view.hpp"
#include "train/playground_export.hpp"
#include "train/run_folder.hpp"
#include "train/run_spec.hpp"
#include "train/session.hpp"
#include "train/timeline.hpp"

namespace netlens::server::playground {

inline constexpr int kGridResolution = 100;  // the output heatmap's points per side
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
  std::uint32_t seq = 0;  // counts frames of this session, from 0
  bool running = false;
  train::Metrics metrics;
  std::shared_ptr<const RunMessages> run;  // the run this frame belongs to
  std::string state;                       // the "state" message
  std::string body;                        // the binary frame message, same seq
};

// Where a session's run is saved when it ends (empty: not saved), how many of these automatic
// saves the folder keeps unstarred (train::prune_automatic_runs), and the server's registry of
// live runs the session appears in while it lives (null: none; it must outlive the session).
struct RunsFolder {
  RunsFolder(std::filesystem::path folder = {}, LiveRuns* registry = nullptr, std::size_t kept = train::kKeptAutomaticRuns)
      : dir(std::move(folder)), live(registry), keep(kept) {}
  std::filesystem::path dir;
  LiveRuns* live;
  std::size_t keep;
};

class PlaygroundSession final : public SessionActor<Command> {
 public:
  // Builds the run of `spec` now (throws Error for a bad spec, or one that does not fit in
  // `memory`, which must outlive this: each run reserves its estimate_bytes there before it is
  // built and releases it when replaced), then starts the thread, which greets the page with
  // hello, spec, data, timeline and the epoch-0 frame. When the session stops (its tab closed,
  // the server stopping), a run that trained at least one epoch is saved as a new run directory
  // under `runs.dir` (docs/run-format.md), which `netlens render --run` reads; empty: not saved.
  // `open_run`, when given, is a saved run directory the session starts from instead (its last
  // checkpoint, at its epoch); one that cannot be read is reported on the server's log.
  PlaygroundSession(Outbox& outbox, Budget* memory, RunsFolder runs, train::RunSpec spec = {},
                    const std::filesystem::path& open_run = {});
  ~PlaygroundSession() override;  // stops the thread and joins it (after saving the run)

  // How many checkpoints a live timeline of this spec's network keeps (2..kMaxLiveCheckpoints).
  static std::size_t timeline_capacity(const train::RunSpec& spec);
  // An upper bound of the memory a run of `spec` needs: its Session, its grids and unit maps,
  // its data message and the frames in flight.
  static std::size_t estimate_bytes(const train::RunSpec& spec);

  std::shared_ptr<const Frame> frame() const;  // the newest frame, never null

 private:
  Command parse(const std::string& type, const nlohmann::json& message) const override;
  std::string coalescing_key(const Command& command) const override;
  void begin() override;
  void apply(Command& command) override;
  // Following an ingested run, the session ticks to look for its new checkpoints.
  bool running() const override { return running_ || followed_.has_value(); }
  void tick() override;  // epochs_per_frame epochs and their frame
  void recover() override;
  void finish() override;

  // One overload per command; each throws Error and changes nothing when the command is bad.
  void on(const Play&);
  void on(const Pause&);
  void on(const Step&);
  void on(const Reset&);
  void on(const SetSpec& command);  // keeps uploaded and added points unless the data changes
  void on(const Import& command);
  void on(const SetRun& command);
  void on(const SetParam& command);
  void on(const AddPoint& command);
  void on(const UploadCsv& command);
  void on(const Prune& command);
  void on(const Export&);
  void on(const ListRuns&);
  void on(const OpenRun& command);
  void on(const Checkpoint& command);  // a newer request replaces one still waiting
  void on(const ExportGif& command);

  Budget::Reservation reserve(const train::RunSpec& spec) const;
  void rebuild(const train::RunSpec& spec, train::CustomPoints custom, Budget::Reservation&& reservation);
  void start_timeline();  // a new timeline whose checkpoint 0 is the session as it is now
  void train_epoch();     // one epoch, recording the checkpoints that fall due
  void announce_timeline();
  void announce_data();  // new spec and data messages after the points changed
  void publish_frame();
  void send_frame(const std::shared_ptr<const Frame>& frame, bool in_order);  // to the page, once greeted
  void save_run();
  void open_saved(const std::filesystem::path& dir);  // throws Error; nothing changes then

  Budget* memory_;
  std::filesystem::path runs_dir_;
  std::size_t keep_runs_;
  LiveRuns::Registration live_;  // this session's run, while it lives
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
  std::shared_ptr<const RunMessages> run_, sent_run_;
  std::uint32_t seq_ = 0, runs_ = 0;
  Upload upload_;
  nn::Loss binary_loss_ = nn::Loss::SquaredError;  // the last binary run's, for a binary set chosen again
  RunSettings settings_;
  std::string stopped_;  // why a stop rule paused the run, for the next frame
  double last_test_loss_ = 0;  // the last frame's, to see a stop threshold crossed
  double last_train_loss_ = 0;  // the last frame's, to see the loss stand still
  std::string notice_;          // why this run cannot learn, once found (train/health); until reset
  bool running_ = false;
  bool greeted_ = false;
  std::optional<FollowedRun> followed_;  // an ingested run this session follows (its training runs elsewhere)

  mutable std::mutex frame_mutex_;  // guards frame_
  std::shared_ptr<const Frame> frame_;
};

}  // namespace netlens::server::playground
