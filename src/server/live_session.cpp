#include "server/live_session.hpp"

#include <pthread.h>

#include <algorithm>
#include <cmath>
#include <exception>

#include "core/error.hpp"
#include "server/protocol.hpp"

namespace netlens::server {

using Clock = std::chrono::steady_clock;

LiveSession::LiveSession(train::RunSpec spec, std::function<void()> on_publish,
                         std::function<void(const std::string&)> on_error,
                         std::function<void(const std::string&)> on_reply, Budget* memory)
    : on_publish_(std::move(on_publish)),
      on_error_(std::move(on_error)),
      on_reply_(std::move(on_reply)),
      memory_(memory),
      reservation_(reserve(spec)),
      accepted_spec_(spec) {
  rebuild(spec, {});
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

void LiveSession::play() { push({Job::Play}); }
void LiveSession::pause() { push({Job::Pause}); }
void LiveSession::step() { push({Job::Step}); }
void LiveSession::reset() { push({Job::Reset}); }
void LiveSession::export_model() { push({Job::Export}); }

void LiveSession::set_run(const Command& command) {
  Job job(Job::SetRun);
  job.command = command;
  push(std::move(job));
}

void LiveSession::set_param(int layer, int unit, int input, float value) {
  Job job(Job::SetParam);
  job.command.layer = layer;
  job.command.unit = unit;
  job.command.input = input;
  job.command.value = value;
  push(std::move(job));
}

void LiveSession::add_point(const data::Point2D& point) {
  Job job(Job::AddPoint);
  job.command.point = point;
  push(std::move(job));
}

void LiveSession::upload(std::vector<data::Point2D> points, std::string name) {
  Job job(Job::Upload);
  job.points = std::move(points);
  job.name = std::move(name);
  push(std::move(job));
}

void LiveSession::prune(int layer, int count, train::PruneBy by) {
  Job job(Job::Prune);
  job.command.layer = layer;
  job.command.count = count;
  job.command.prune_by = by;
  push(std::move(job));
}

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
  Job job(Job::SetSpec);
  job.spec = std::move(next);
  job.reservation = std::move(reservation);
  job.keep_points = true;
  for (const char* key : {"dataset", "noise", "num_samples", "data_seed"})
    if (changes.contains(key)) job.keep_points = false;
  commands_.push_back(std::move(job));
  wake_.notify_one();
}

void LiveSession::import_model(const nlohmann::json& model) {
  train::ImportedModel imported = train::import_model(model);  // throws: nothing changes
  std::lock_guard lock(mutex_);
  Budget::Reservation reservation = reserve(imported.spec);  // throws: nothing changes
  accepted_spec_ = imported.spec;
  Job job(Job::Import);
  job.reservation = std::move(reservation);
  job.spec = std::move(imported.spec);
  job.params = std::move(imported.params);
  commands_.push_back(std::move(job));
  wake_.notify_one();
}

std::size_t LiveSession::estimate_bytes(const train::RunSpec& spec) {
  constexpr std::size_t kPointBytes = 48;  // "[-5.1234567,4.1234567,-1]," at most, in the data message
  constexpr std::size_t kCells = std::size_t{kGridResolution} * kGridResolution;
  const std::size_t classes = static_cast<std::size_t>(train::num_classes(spec));
  const std::size_t maps = classes > 2 ? classes : 1;
  // Every node (inputs, hidden units, outputs) and every parameter, as a frame carries them.
  std::size_t nodes = spec.features.size(), params = 0, width = spec.features.size();
  for (const auto& layer : spec.hidden_layers) {
    const auto units = static_cast<std::size_t>(layer.units);
    nodes += units;
    params += (width + 1) * units;
    width = units;
  }
  nodes += maps;
  params += (width + 1) * maps;
  const std::size_t unit_maps = nodes * kUnitGrid * kUnitGrid * (sizeof(float) + 1);
  const std::size_t frame = 28 + maps * kCells * sizeof(float) + params * sizeof(float) + nodes * kUnitGrid * kUnitGrid;
  return train::Session::estimate_bytes(spec) + probe::OutputGrid::estimate_bytes(spec, kGridResolution) +
         (maps > 1 ? 2 * maps * kCells * sizeof(float) : 0) + unit_maps + static_cast<std::size_t>(spec.num_samples) * kPointBytes +
         3 * frame;  // newest, sent, being written
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

void LiveSession::push(Job job) {
  std::lock_guard lock(mutex_);
  commands_.push_back(std::move(job));
  wake_.notify_one();
}

// Waits for a command (or, while running, for the next frame's time), applies the commands in
// order, then trains epochs_per_frame epochs if running and the frame period has passed.
void LiveSession::loop() {
  pthread_setname_np(pthread_self(), kThreadName);
  announce_ = true;
  for (;;) {
    std::vector<Job> todo;
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
        const int limit = settings_.stop_epoch, before = session_->epoch();
        for (int e = 0; e < settings_.epochs_per_frame; ++e) {
          session_->train_epoch();
          if (limit > before && session_->epoch() >= limit) {
            stopped_ = "epoch limit " + std::to_string(limit) + " reached";
            break;
          }
        }
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

// Runs a command that checks its fields against the run; a bad one is answered with an error
// ("set_param: unit: must be 0..3, got 7") and changes nothing, and the run goes on. Returns
// whether it succeeded.
template <class F>
bool LiveSession::try_command(const char* command, F&& work) {
  try {
    work();
    return true;
  } catch (const Error& e) {
    if (on_error_) on_error_(std::string(command) + ": " + e.what());
    return false;
  }
}

void LiveSession::apply(Job& job) {
  switch (job.type) {
    case Job::Play:
      if (!running_) next_frame_ = Clock::now();
      running_ = true;
      return;
    case Job::Pause:
      if (!running_) return;
      running_ = false;
      break;
    case Job::Step:
      running_ = false;
      session_->train_epoch();
      break;
    case Job::Reset:
      running_ = false;
      session_->reset();
      break;
    case Job::SetSpec:
      running_ = false;
      rebuild(job.spec, job.keep_points ? session_->custom_points() : train::CustomPoints{});
      reservation_ = std::move(job.reservation);  // releases the old run's
      break;
    case Job::Import:
      running_ = false;
      rebuild(job.spec, {});
      reservation_ = std::move(job.reservation);
      session_->load_params(job.params);
      break;
    case Job::SetRun:
      if (!try_command("set_run", [&] { settings_ = apply_run_settings(settings_, job.command); })) return;
      break;
    case Job::SetParam:
      if (!try_command("set_param", [&] {
            session_->set_param(job.command.layer, job.command.unit, job.command.input, job.command.value);
          }))
        return;
      break;
    case Job::AddPoint:
      session_->add_point(job.command.point);
      announce_data();
      break;
    case Job::Upload:
      running_ = false;
      uploaded_name_ = job.name;
      rebuild(session_->spec(), {job.points, {}});
      break;
    case Job::Prune:
      if (!try_command("prune", [&] {
            session_->prune(job.command.layer,
                            session_->weakest_units(job.command.layer, job.command.count, job.command.prune_by));
          }))
        return;
      break;
    case Job::Export:
      if (on_reply_) on_reply_(export_message(*session_));
      return;
  }
  publish();
}

void LiveSession::rebuild(const train::RunSpec& spec, train::CustomPoints custom) {
  auto session = std::make_unique<train::Session>(spec, std::move(custom));
  auto grid = std::make_unique<probe::OutputGrid>(*session, kGridResolution);
  auto units = std::make_unique<probe::UnitMaps>(*session, kUnitGrid, grid->domain());
  std::unique_ptr<probe::ProbabilityMap> class_map;
  if (session->spec().problem == data::Problem::Classification && train::num_classes(session->spec()) > 2)
    class_map = std::make_unique<probe::ProbabilityMap>(*session, probe::square_grid(grid->domain(), kGridResolution));
  std::size_t params = 0;
  for (const auto& p : session->network().params()) params += p.value->size();
  session_ = std::move(session);
  grid_ = std::move(grid);
  units_ = std::move(units);
  class_map_ = std::move(class_map);
  params_.assign(params, 0.0f);
  ++runs_;
  announce_data();
}

void LiveSession::announce_data() {
  auto run = std::make_shared<RunMessages>();
  run->spec = spec_message(*session_, grid_->domain(), grid_->resolution(), units_->resolution(), runs_,
                           uploaded_name_);
  run->data = data_message(*session_);
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
  // Stop rules fire when the run crosses them, so play goes on past a limit already reached.
  const double threshold = settings_.stop_test_loss, loss = frame->metrics.test_loss;
  if (running_ && stopped_.empty() && threshold > 0 && loss < threshold && !(last_test_loss_ < threshold))
    stopped_ = "test loss fell below " + nlohmann::json(threshold).dump();
  last_test_loss_ = loss;
  if (!stopped_.empty()) running_ = false;
  frame->running = running_;
  frame->run = run_;
  frame->state = state_message(frame->seq, frame->running, frame->metrics, *session_, settings_, stopped_);
  stopped_.clear();
  float* p = params_.data();
  for (const auto& param : session_->network().params()) p = std::copy_n(param.value->data(), param.value->size(), p);
  const float* output = class_map_ ? class_map_->compute(*session_).data() : grid_->compute(*session_).data();
  frame->body = encode_frame(frame->seq, {grid_->resolution(), class_map_ ? class_map_->classes() : 1, output,
                                          units_->resolution(), units_->nodes(), units_->compute(*session_).data(),
                                          params_});
  {
    std::lock_guard lock(mutex_);
    frame_ = std::move(frame);
  }
  if (announce_ && on_publish_) on_publish_();
}

}  // namespace netlens::server
