#pragma once
// A run's timeline on disk: a run directory with manifest.json (the run spec, the schedule and
// the list of checkpoints) and one snapshot file per checkpoint (docs/run-format.md).
//   SnapshotStore  records a Session as it trains: into a new run directory (the CLI), or in
//                  memory (the server's live session), deciding and capturing the same way.
//   Timeline       opens a run directory: reads only the manifest, so a long run opens at once;
//                  each snapshot is read when asked for.
// A SnapshotStore belongs to the thread that trains its session; a Timeline does not change
// once open, so any number of threads may load() from it at once.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "train/schedule.hpp"
#include "train/session.hpp"
#include "train/snapshot.hpp"

namespace netlens::train {

struct Checkpoint {
  long examples = 0;  // training examples seen
  long steps = 0;
  int epoch = 0;  // epochs completed
  double train_loss = 0, test_loss = 0;  // NaN when the run had diverged
  std::optional<double> train_accuracy, test_accuracy;  // classification only
  std::string file;  // the snapshot's file name inside the run directory; empty in memory
};

inline constexpr int kRunFormatVersion = 1;
inline constexpr const char* kManifestName = "manifest.json";

class SnapshotStore {
 public:
  // Creates `dir` (and its parents); refuses one that already holds a run (a manifest.json).
  SnapshotStore(std::filesystem::path dir, Session& session, ScheduleSpec schedule);
  // In memory: each snapshot kept as its encoded bytes (float16 weights, as on disk), at most
  // `capacity` (2 or more) of them; past that each new one replaces the last, so the timeline
  // keeps its early history and its newest state. Nothing is written.
  SnapshotStore(Session& session, ScheduleSpec schedule, std::size_t capacity);

  bool due(const Session& session) const { return session.examples_seen() >= next_; }
  // Writes the session's weights and metrics as the next checkpoint; the next point of the
  // schedule is then the first after the session's examples seen. The manifest is rewritten
  // at most once a second (a run that records every epoch stays linear); flush() writes it now.
  const Checkpoint& record(Session& session);
  // One epoch, step by step, recording each snapshot that falls due (a live session that
  // trains whole epochs and checks due() after each gets the early points merged into one).
  void train_epoch(Session& session);
  // The end of a run: records the session's state unless the last checkpoint holds it, and
  // writes the manifest.
  void finish(Session& session);
  void flush();
  // Checkpoint `index`'s snapshot, decoded from memory or read from its file (throws Error).
  Snapshot load(std::size_t index) const;
  // In memory: writes the checkpoints kept as the run directory `dir` (created; refused when it
  // already holds a run), the same files the disk store writes, each atomically.
  void save(const std::filesystem::path& dir) const;

  const std::filesystem::path& dir() const { return dir_; }  // empty in memory
  bool in_memory() const { return dir_.empty(); }
  const std::vector<Checkpoint>& checkpoints() const { return checkpoints_; }

 private:
  void write_manifest();
  std::string manifest(const std::vector<Checkpoint>& checkpoints) const;

  std::filesystem::path dir_;
  RunSpec spec_;
  Schedule schedule_;
  int train_size_;
  std::size_t parameters_;
  long next_ = 0;
  std::vector<Checkpoint> checkpoints_;
  std::size_t capacity_ = 0;       // in memory; 0 on disk (no limit)
  std::vector<std::string> kept_;  // in memory: each checkpoint's encoded snapshot
  std::chrono::steady_clock::time_point manifest_written_{};
  bool manifest_current_ = false;
};

class Timeline {
 public:
  // Reads and checks DIR/manifest.json; errors name it and the field.
  static Timeline open(const std::filesystem::path& dir);

  const std::filesystem::path& dir() const { return dir_; }
  const RunSpec& spec() const { return spec_; }
  const ScheduleSpec& schedule() const { return schedule_; }
  int train_size() const { return train_size_; }
  std::size_t parameters() const { return parameters_; }
  const std::vector<Checkpoint>& checkpoints() const { return checkpoints_; }
  std::size_t size() const { return checkpoints_.size(); }

  // Reads checkpoint `index`'s file; refuses a corrupt or truncated one, or one that does not
  // match the manifest, with Error("PATH: reason").
  Snapshot load(std::size_t index) const;
  // Loads checkpoint `index` into a session built from spec() (its network's weights only).
  void restore(std::size_t index, Session& session) const;

 private:
  Timeline() = default;

  std::filesystem::path dir_;
  RunSpec spec_;
  ScheduleSpec schedule_;
  int train_size_ = 0;
  std::size_t parameters_ = 0;
  std::vector<Checkpoint> checkpoints_;
};

}  // namespace netlens::train
