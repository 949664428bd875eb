#pragma once
// LiveRuns: the server's registry of runs some session is training or recording now, so the
// Runs page can say which runs are live and refuse to rename or delete one that is being
// written. A session registers while its run lives (a Registration, released in its
// destructor) and updates its progress as it goes; any thread may read a copy. Thread-safe.
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace netlens::server {

struct LiveRun {
  std::uint64_t id = 0;
  std::string view;     // the session's view: "playground", ...
  std::string source;   // "netlens" | "ingested" | "imported", as a run directory's manifest says
  std::string run;      // the run directory it writes under the runs folder; "" while it has none
  std::string label;    // what the page shows when it has no directory ("spiral", ...)
  long step = 0;        // epochs (a netlens run) or steps (an ingested one) so far
  std::optional<double> loss;  // the last training loss
  std::int64_t started = 0;    // seconds since 1970
  // A run fed from outside (an ingest stream) is live only while it is heard from: past this
  // it is no longer listed, even before its session notices. None: live until released.
  std::optional<std::chrono::steady_clock::time_point> expires;
};

class LiveRuns {
 public:
  class Registration {
   public:
    Registration() = default;
    Registration(Registration&& o) noexcept : runs_(std::exchange(o.runs_, nullptr)), id_(o.id_) {}
    Registration& operator=(Registration&& o) noexcept {
      if (this != &o) {
        release();
        runs_ = std::exchange(o.runs_, nullptr);
        id_ = o.id_;
      }
      return *this;
    }
    ~Registration() { release(); }

    // Progress as the run goes, and what it is now. No-ops on an empty handle.
    void update(long step, std::optional<double> loss, std::string label) {
      if (!runs_) return;
      std::lock_guard lock(runs_->mutex_);
      auto& r = runs_->runs_.at(id_);
      r.step = step;
      r.loss = loss;
      r.label = std::move(label);
    }
    // Keeps the run listed until `until` (and no longer, unless this is called again).
    void keep_alive_until(std::chrono::steady_clock::time_point until) {
      if (!runs_) return;
      std::lock_guard lock(runs_->mutex_);
      runs_->runs_.at(id_).expires = until;
    }
    // The run directory (a name under the runs folder) the session writes, once it has one.
    void set_run(std::string run) {
      if (!runs_) return;
      std::lock_guard lock(runs_->mutex_);
      runs_->runs_.at(id_).run = std::move(run);
    }
    explicit operator bool() const { return runs_ != nullptr; }

   private:
    friend class LiveRuns;
    Registration(LiveRuns* runs, std::uint64_t id) : runs_(runs), id_(id) {}
    void release() {
      if (!runs_) return;
      std::lock_guard lock(runs_->mutex_);
      runs_->runs_.erase(id_);
      runs_ = nullptr;
    }
    LiveRuns* runs_ = nullptr;
    std::uint64_t id_ = 0;
  };

  // A new live run of a session of `view`, its source as a manifest says it, and what it trains
  // (`label`); its id and start time are set here. The registry must outlive the handle.
  Registration add(std::string view, std::string source, std::string label) {
    std::lock_guard lock(mutex_);
    LiveRun run;
    run.id = ++next_id_;
    run.view = std::move(view);
    run.source = std::move(source);
    run.label = std::move(label);
    run.started = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    runs_.emplace(run.id, run);
    return Registration(this, run.id);
  }

  std::vector<LiveRun> list() const {
    std::lock_guard lock(mutex_);
    std::vector<LiveRun> out;
    const auto now = std::chrono::steady_clock::now();
    for (const auto& [id, run] : runs_)
      if (!run.expires || *run.expires > now) out.push_back(run);
    return out;
  }

  // Whether a live session writes the run directory `run`.
  bool writes(const std::string& run) const {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    for (const auto& [id, r] : runs_)
      if (!r.run.empty() && r.run == run && (!r.expires || *r.expires > now)) return true;
    return false;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::uint64_t, LiveRun> runs_;
  std::uint64_t next_id_ = 0;
};

}  // namespace netlens::server
