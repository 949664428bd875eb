#pragma once
// InsideSession: the Inside view's side of one /ws/inside connection, on its own thread. It
// owns a TracedRun (a small network learning XOR or another 2D set by full-batch gradient
// descent), advances it one refresh per frame while playing, and sends each refresh's
// pictures: node values for the chosen sample, the hidden space with its separator and warped
// grid, the decision boundary, and the loss surface around the current weights with the path.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "probe/output_grid.hpp"
#include "server/inside_protocol.hpp"

namespace netlens::server {

// The square the view draws a run's data in: xor4's unit square with a margin, else the Playground's.
probe::Domain inside_domain(const train::TracedRunSpec& spec);

class InsideSession {
 public:
  // send(bytes, binary) runs on the session thread; it must be quick and not call back in.
  using Send = std::function<void(std::string bytes, bool binary)>;
  explicit InsideSession(Send send);
  ~InsideSession();  // joins the thread
  InsideSession(const InsideSession&) = delete;
  InsideSession& operator=(const InsideSession&) = delete;

  // Queues a client message for the thread; a bad one is answered with an `error` from there.
  void handle(std::string text);

 private:
  void loop();
  void apply(const std::string& text);
  void start_run(const train::TracedRunSpec& spec);
  void advance();
  void publish();
  void error(const std::string& message);

  Send send_;

  // Owned by the session thread.
  std::unique_ptr<train::TracedRun> run_;
  std::unique_ptr<probe::OutputGrid> boundary_;
  probe::Domain domain_;
  InsideView view_;
  int runs_ = 0;
  std::uint32_t seq_ = 0;
  bool running_ = false, stopped_ = false;
  float probe_x1_ = 0, probe_x2_ = 0;

  std::mutex mutex_;  // guards what follows
  std::condition_variable wake_;
  std::vector<std::string> commands_;
  bool stopping_ = false;

  std::thread thread_;  // last: starts after everything above exists
};

}  // namespace netlens::server
