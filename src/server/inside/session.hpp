#pragma once
// InsideSession: the Inside view's session of one /ws/inside connection, on the session
// actor's thread. It owns a TracedRun (a small network learning XOR or another 2D set by
// full-batch gradient descent), advances it one refresh per frame while playing, and publishes
// each refresh's pictures: node values for the probed point, the hidden space with its
// separator and warped grid, the decision boundary, and the loss surface around the current
// weights with the path. A probe recomputes only the node values.
#include <chrono>
#include <memory>
#include <string>

#include "probe/output_grid.hpp"
#include "server/common/session_actor.hpp"
#include "server/inside/commands.hpp"
#include "server/inside/messages.hpp"

namespace netlens::server::inside {

inline constexpr auto kFramePeriod = std::chrono::milliseconds(50);  // at most 20 refreshes a second

// The square the view draws a run's data in: xor4's unit square with a margin, else the Playground's.
probe::Domain inside_domain(const train::TracedRunSpec& spec);

// An upper bound of the memory a run of `spec` holds: its Session, its trace (every parameter
// at every refresh: up to 5,001 records), its gradient workspace and its pictures.
std::size_t estimate_bytes(const train::TracedRunSpec& spec);

class InsideSession final : public SessionActor<Command> {
 public:
  // Each run reserves its estimate_bytes in `memory` (which must outlive this) before it is built.
  InsideSession(Outbox& outbox, Budget& memory);
  ~InsideSession() override;  // joins the thread

 private:
  Command parse(const std::string& type, const nlohmann::json& message) const override;
  std::string coalescing_key(const Command& command) const override;
  void begin() override;
  void apply(Command& command) override;
  bool running() const override { return running_; }
  void tick() override { advance(); }
  void recover() override;

  void on(const SetSpec& command);
  void on(const SetView& command);
  void on(const Play&);
  void on(const Pause&);
  void on(const Step&);
  void on(const Reset&);
  void on(const Stop&);
  void on(const Probe& command);

  // A new run; throws Error("memory: ...") and changes nothing when it does not fit.
  void start_run(const train::TracedRunSpec& spec);
  void start_run(train::TracedRunSpec spec, Budget::Reservation reservation);
  void advance();
  void compute();        // every picture of the frame
  void compute_nodes();  // the node values for the probed point
  void publish_frame();

  Budget& memory_;

  // Owned by the session thread.
  Budget::Reservation reservation_;  // the run's memory
  std::unique_ptr<train::TracedRun> run_;
  std::unique_ptr<probe::OutputGrid> boundary_;
  probe::Domain domain_;
  View view_;
  Frame frame_;
  int runs_ = 0;
  std::uint32_t seq_ = 0;
  bool running_ = false, stopped_ = false;
};

}  // namespace netlens::server::inside
