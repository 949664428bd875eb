#include "server/live_session.hpp"

#include <pthread.h>

#include <cmath>
#include <exception>

#include "core/error.hpp"
#include "server/protocol.hpp"

namespace netlens::server {

using Clock = std::chrono::steady_clock;

LiveSession::LiveSession(train::RunSpec spec, std::function<void()> on_publish,
                         std::function<void(const std::string&)> on_error, Budget* memory)
    : on_publish_(std::move(on_publish)),
      on_error_(std::move(on_error)),
      memory_(memory),
      reservation_(reserve(spec)),
      accepted_spec_(spec) {
  rebuild(spec);
  publish();
  thread_ = std::thread([this] { loop(); });
}

LiveSession::~LiveSession() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void LiveSession::play() { push({Command::Play, {}, {}}); }
void LiveSession::pause() { push({Command::Pause, {}, {}}); }
void LiveSession::step() { push({Command::Step, {}, {}}); }
void LiveSession::reset() { push({Command::Reset, {}, {}}); }

void LiveSession::set_spec(const nlohmann::json& changes) {
  std::lock_guard lock(mutex_);
  train::RunSpec next;
  try {
    next = train::parse_run_spec(changes, accepted_spec_);  // throws: nothing changes
  } catch (const Error& e) {
    throw Error(std::string("spec.") + e.what());
  }
  Budget::Reservation reservation = reserve(next);  // throws: nothing changes
  accepted_spec_ = next;
  commands_.push_back({Command::SetSpec, std::move(next), std::move(reservation)});
  wake_.notify_one();
}

std::size_t LiveSession::estimate_bytes(const train::RunSpec& spec) {
  constexpr std::size_t kPointBytes = 48;  // "[-5.1234567,4.1234567,-1]," at most, in the data message
  constexpr std::size_t kFrameBytes = 16 + 4 * kGridResolution * kGridResolution + 512;
  return train::Session::estimate_bytes(spec) + probe::OutputGrid::estimate_bytes(spec, kGridResolution) +
         static_cast<std::size_t>(spec.num_samples) * kPointBytes + 3 * kFrameBytes;  // newest, sent, being written
}

Budget::Reservation LiveSession::reserve(const train::RunSpec& spec) const {
  if (!memory_) return {};
  const std::size_t need = estimate_bytes(spec);
  if (auto reservation = memory_->reserve(need)) return std::move(*reservation);
  const auto mib = [](std::size_t bytes) { return std::to_string((bytes + (1 << 20) - 1) >> 20) + " MiB"; };
  throw Error("memory", "this run needs about " + mib(need) + "; the sessions of this server may use " +
                            mib(memory_->limit()) + " in all (netlens serve --memory-limit) and " + mib(memory_->used()) +
                            " are in use; choose fewer or narrower layers, fewer points or a smaller batch");
}

std::shared_ptr<const Frame> LiveSession::frame() const {
  std::lock_guard lock(mutex_);
  return frame_;
}

train::RunSpec LiveSession::spec() const {
  std::lock_guard lock(mutex_);
  return accepted_spec_;
}

std::size_t LiveSession::pending() const {
  std::lock_guard lock(mutex_);
  return commands_.size();
}

void LiveSession::push(Command command) {
  std::lock_guard lock(mutex_);
  commands_.push_back(std::move(command));
  wake_.notify_one();
}

// Waits for a command (or, while running, for the next frame's time), applies the commands in
// order, then trains one epoch if running and the frame period has passed.
void LiveSession::loop() {
  pthread_setname_np(pthread_self(), kThreadName);
  announce_ = true;
  for (;;) {
    std::vector<Command> todo;
    {
      std::unique_lock lock(mutex_);
      const auto woken = [this] { return stopping_ || !commands_.empty(); };
      if (running_)
        wake_.wait_until(lock, next_frame_, woken);
      else
        wake_.wait(lock, woken);
      if (stopping_) return;
      todo.swap(commands_);
    }
    for (auto& command : todo) guarded([&] { apply(command); });
    if (running_ && Clock::now() >= next_frame_) {
      next_frame_ = Clock::now() + kFramePeriod;
      guarded([this] {
        session_->train_epoch();
        publish();
      });
    }
  }
}

// A failure (out of memory building a huge network, say) stops the run but not the thread:
// the last good session stays, and so does its spec.
template <class F>
void LiveSession::guarded(F&& work) {
  try {
    work();
  } catch (const std::exception& e) {
    running_ = false;
    {
      std::lock_guard lock(mutex_);
      accepted_spec_ = session_->spec();
    }
    if (on_error_) on_error_(std::string("session: ") + e.what());
    try {
      publish();  // says running: false
    } catch (const std::exception&) {
    }
  }
}

void LiveSession::apply(Command& command) {
  switch (command.type) {
    case Command::Play:
      if (!running_) next_frame_ = Clock::now();
      running_ = true;
      return;
    case Command::Pause:
      if (!running_) return;
      running_ = false;
      break;
    case Command::Step:
      running_ = false;
      session_->train_epoch();
      break;
    case Command::Reset:
      running_ = false;
      session_->reset();
      break;
    case Command::SetSpec:
      running_ = false;
      rebuild(command.spec);
      reservation_ = std::move(command.reservation);  // releases the old run's
      break;
  }
  publish();
}

void LiveSession::rebuild(const train::RunSpec& spec) {
  auto session = std::make_unique<train::Session>(spec);
  auto grid = std::make_unique<probe::OutputGrid>(*session, kGridResolution);
  auto run = std::make_shared<RunMessages>();
  run->spec = spec_message(session->spec(), grid->domain(), grid->resolution());
  run->data = data_message(*session);
  session_ = std::move(session);
  grid_ = std::move(grid);
  run_ = std::move(run);
}

// A run whose loss stops being finite (learning rate too high) pauses itself and says why;
// reset or a new spec recovers.
void LiveSession::publish() {
  auto frame = std::make_shared<Frame>();
  frame->seq = seq_++;
  frame->metrics = session_->evaluate();
  if (!std::isfinite(frame->metrics.train_loss) && announce_) {
    running_ = false;
    if (on_error_)
      on_error_("diverged: at epoch " + std::to_string(frame->metrics.epoch) +
                " the training loss is not finite; lower the learning rate (now " +
                nlohmann::json(session_->spec().learning_rate).dump() + ") and press reset");
  }
  frame->running = running_;
  frame->run = run_;
  frame->state = state_message(frame->seq, frame->running, frame->metrics);
  const int n = grid_->resolution();
  frame->heatmap = encode_heatmap(frame->seq, n, n, grid_->compute(*session_).data());
  {
    std::lock_guard lock(mutex_);
    frame_ = std::move(frame);
  }
  if (announce_ && on_publish_) on_publish_();
}

}  // namespace netlens::server
