#include "server/inside_session.hpp"

#include <pthread.h>

#include <cmath>
#include <exception>

#include "core/error.hpp"
#include "data/synthetic2d.hpp"
#include "server/protocol.hpp"

namespace netlens::server {

namespace {
constexpr auto kFrameInterval = std::chrono::milliseconds(50);  // at most 20 refreshes a second
constexpr std::size_t kMaxWaiting = 64;                         // commands waiting for the thread

// At most kTrajectoryPoints records, evenly spread, the first and the newest always among them.
std::vector<train::TraceRecord> trajectory_records(const std::vector<train::TraceRecord>& trace) {
  const std::size_t n = trace.size(), keep = std::min<std::size_t>(n, kTrajectoryPoints);
  if (keep < 2) return trace;
  std::vector<train::TraceRecord> picked;
  for (std::size_t k = 0; k < keep; ++k) picked.push_back(trace[k * (n - 1) / (keep - 1)]);
  return picked;
}
}  // namespace

probe::Domain inside_domain(const train::TracedRunSpec& spec) {
  if (spec.dataset == "xor4") return {data::kXor4Min, data::kXor4Max, data::kXor4Min, data::kXor4Max};
  return {};
}

InsideSession::InsideSession(Send send) : send_(std::move(send)) { thread_ = std::thread([this] { loop(); }); }

InsideSession::~InsideSession() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void InsideSession::handle(std::string text) {
  std::lock_guard lock(mutex_);
  if (commands_.size() >= kMaxWaiting) throw Error("busy", "64 commands are still waiting; send fewer");
  commands_.push_back(std::move(text));
  wake_.notify_one();
}

void InsideSession::loop() {
  pthread_setname_np(pthread_self(), "netlens inside");
  send_(inside_hello().dump(), false);
  auto next_frame = std::chrono::steady_clock::now();
  try {
    start_run(train::TracedRunSpec{});
    for (;;) {
      std::vector<std::string> commands;
      {
        std::unique_lock lock(mutex_);
        auto ready = [&] { return stopping_ || !commands_.empty(); };
        if (running_)
          wake_.wait_until(lock, next_frame, ready);
        else
          wake_.wait(lock, ready);
        if (stopping_) return;
        commands.swap(commands_);
      }
      for (const auto& c : commands) apply(c);
      if (running_ && std::chrono::steady_clock::now() >= next_frame) {
        next_frame = std::chrono::steady_clock::now() + kFrameInterval;
        advance();
      }
    }
  } catch (const std::exception& e) {  // out of memory, say: the page hears why, the server stays up
    error(std::string("session: ") + e.what());
  }
}

void InsideSession::apply(const std::string& text) {
  InsideCommand c;
  try {
    c = parse_inside_command(text, run_->spec(), view_);
  } catch (const Error& e) {
    return error(e.what());
  }
  switch (c.type) {
    case InsideCommandType::SetSpec: return start_run(c.spec);
    case InsideCommandType::Reset: return start_run(run_->spec());
    case InsideCommandType::SetView: {
      if (c.view.weight_axes) {
        const int n = static_cast<int>(run_->session().network().param_count());
        for (auto [v, name] : {std::pair{c.view.first, "first"}, std::pair{c.view.second, "second"}})
          if (v >= n)
            return error("set_view." + std::string(name) + ": must be a parameter index 0.." + std::to_string(n - 1) +
                         ", got " + std::to_string(v));
        if (c.view.first == c.view.second) return error("set_view.second: must differ from first");
      }
      view_ = c.view;
      return publish();
    }
    case InsideCommandType::Probe:
      probe_x1_ = c.x1;
      probe_x2_ = c.x2;
      return publish();
    case InsideCommandType::Play:
      if (run_->finished() || stopped_) start_run(run_->spec());
      running_ = true;
      return;
    case InsideCommandType::Pause:
      running_ = false;
      return publish();
    case InsideCommandType::Stop:
      running_ = false;
      stopped_ = true;
      return publish();
    case InsideCommandType::Step:
      running_ = false;
      if (!stopped_) return advance();
      return publish();
  }
}

void InsideSession::start_run(const train::TracedRunSpec& spec) {
  run_ = std::make_unique<train::TracedRun>(spec);
  domain_ = inside_domain(spec);
  boundary_ = std::make_unique<probe::OutputGrid>(run_->session(), kBoundaryGrid, domain_);
  const auto& first = run_->session().train_set().points.front();
  probe_x1_ = first.x1;
  probe_x2_ = first.x2;
  running_ = stopped_ = false;
  const int hidden = static_cast<int>(spec.hidden.size());
  if (view_.layer >= hidden) view_.layer = -1;
  const int params = static_cast<int>(run_->session().network().param_count());
  if (view_.first >= params || view_.second >= params) view_.weight_axes = false, view_.first = 0, view_.second = 1;
  send_(inside_run_message(++runs_, *run_, domain_).dump(), false);
  publish();
}

void InsideSession::advance() {
  run_->advance();
  if (run_->finished()) running_ = false;
  if (!std::isfinite(run_->trace().back().loss)) {
    running_ = false;
    error("diverged: at epoch " + std::to_string(run_->trace().back().epoch) +
          " the training loss is not finite; lower the learning rate and reset");
  }
  publish();
}

void InsideSession::publish() {
  auto& session = run_->session();
  auto& network = session.network();
  InsideFrame f;
  f.seq = seq_++;
  f.running = running_;
  f.stopped = stopped_;
  f.record = &run_->trace().back();
  f.params = train::flat_params(network);
  f.probe_x1 = probe_x1_;
  f.probe_x2 = probe_x2_;
  f.nodes = probe::node_values(session, probe_x1_, probe_x2_);
  f.hidden_layer = view_.layer < 0 ? static_cast<int>(run_->spec().hidden.size()) - 1 : view_.layer;
  try {
    probe::HiddenSpaceOptions o;
    o.layer = f.hidden_layer;
    o.dims = view_.dims;
    o.domain = domain_;
    f.hidden = probe::hidden_space(session, o);
  } catch (const Error& e) {
    f.hidden_error = e.what();
  }
  f.boundary = boundary_->compute(session);
  const auto directions = view_.weight_axes ? probe::weight_directions(network, view_.first, view_.second)
                                            : probe::random_directions(network, f.params, view_.direction_seed);
  const auto& set = session.train_set();
  f.surface = probe::loss_surface(network, set, run_->spec().loss, f.params, directions, view_.extent, kSurfaceGrid);
  try {
    f.trajectory = probe::project_trajectory(network, set, run_->spec().loss, f.params, directions,
                                             trajectory_records(run_->trace()));
  } catch (const Error&) {
    // Random directions of an all-zero layer are zero, hence dependent: no path to draw.
  }
  send_(inside_frame_message(f, *run_, view_).dump(), false);
  send_(inside_frame_tensors(f), true);
}

void InsideSession::error(const std::string& message) { send_(error_message(message), false); }

}  // namespace netlens::server
