#pragma once
// LiveSession: one train::Session driven on its own thread for one WebSocket connection.
// Commands (play, pause, step, reset, set_spec) go into a small queue the thread drains between
// epochs. After each change the thread publishes an immutable Frame; readers take the newest
// with frame() and skip the ones they missed, so a slow reader never grows memory.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "probe/output_grid.hpp"
#include "server/budget.hpp"
#include "train/run_spec.hpp"
#include "train/session.hpp"

namespace netlens::server {

inline constexpr int kGridResolution = 100;  // the heatmap's points per side
inline constexpr const char* kThreadName = "netlens session";  // as top -H and /proc show it
inline constexpr auto kFramePeriod = std::chrono::microseconds(1'000'000 / 60);  // at most 60 frames/s

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
  std::string heatmap;                     // the binary heatmap message, same seq
};

class LiveSession {
 public:
  // Builds the session and publishes its epoch-0 frame before returning (throws Error for a bad
  // spec, or one that does not fit in `memory`). on_publish runs on the session thread after
  // each later frame, on_error when a command fails there; both must be quick and must not call
  // back into this LiveSession. `memory`, when given, must outlive this: each run reserves its
  // estimate_bytes there before it is built and releases it when replaced.
  LiveSession(train::RunSpec spec, std::function<void()> on_publish,
              std::function<void(const std::string&)> on_error = {}, Budget* memory = nullptr);
  ~LiveSession();  // stops the thread and joins it
  LiveSession(const LiveSession&) = delete;
  LiveSession& operator=(const LiveSession&) = delete;

  void play();   // train one epoch per frame, at most 60 frames a second
  void pause();  // publishes a frame with running false if it was running
  void step();   // pause, then one epoch and its frame
  void reset();  // pause, initial weights, epoch 0, and its frame
  // Validates `changes` against the latest accepted spec now, on the caller's thread: a bad
  // spec throws Error "spec.<field>: ...", one that does not fit in the memory budget
  // "memory: ..." (the run goes on untouched); a good one is queued, and the thread rebuilds
  // the session (paused, epoch 0) and publishes a frame of a new run.
  void set_spec(const nlohmann::json& changes);

  // An upper bound of the memory a run of `spec` needs: its Session, its OutputGrid, its data
  // message and the frames in flight.
  static std::size_t estimate_bytes(const train::RunSpec& spec);

  std::shared_ptr<const Frame> frame() const;  // the newest frame, never null
  train::RunSpec spec() const;                 // the latest accepted spec
  std::size_t pending() const;                 // commands not yet applied

 private:
  struct Command {
    enum { Play, Pause, Step, Reset, SetSpec } type;
    train::RunSpec spec;              // SetSpec only
    Budget::Reservation reservation;  // SetSpec only: the new run's memory
  };

  Budget::Reservation reserve(const train::RunSpec& spec) const;
  void push(Command command);
  void loop();
  template <class F>
  void guarded(F&& work);
  void apply(Command& command);
  void rebuild(const train::RunSpec& spec);
  void publish();

  std::function<void()> on_publish_;
  std::function<void(const std::string&)> on_error_;
  Budget* memory_;
  Budget::Reservation reservation_;  // the current run's memory

  // Owned by the session thread (and by the constructor before it starts).
  std::unique_ptr<train::Session> session_;
  std::unique_ptr<probe::OutputGrid> grid_;
  std::shared_ptr<const RunMessages> run_;
  std::uint32_t seq_ = 0;
  bool running_ = false;
  std::chrono::steady_clock::time_point next_frame_;
  bool announce_ = false;  // false for the constructor's frame, which is read, not announced

  mutable std::mutex mutex_;  // guards what follows
  std::condition_variable wake_;
  std::vector<Command> commands_;
  train::RunSpec accepted_spec_;
  std::shared_ptr<const Frame> frame_;
  bool stopping_ = false;

  std::thread thread_;  // last: starts after everything above exists
};

}  // namespace netlens::server
