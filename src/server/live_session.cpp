#include "server/live_session.hpp"

#include <pthread.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <exception>
#include <iostream>

#include "core/error.hpp"
#include "server/protocol.hpp"

namespace netlens::server {

using Clock = std::chrono::steady_clock;

namespace {

// A new directory under `parent` named `stem`, or stem-2, stem-3, ...: claimed by creating it,
// so two sessions that end at once never share one.
std::filesystem::path claim_directory(const std::filesystem::path& parent, const std::string& stem) {
  std::filesystem::create_directories(parent);
  for (int n = 1; n <= 1000; ++n) {
    auto dir = parent / (n == 1 ? stem : stem + "-" + std::to_string(n));
    if (std::filesystem::create_directory(dir)) return dir;
  }
  throw Error(parent.string(), "holds too many runs named " + stem);
}

// "circle-20261123-164005-epoch312": what, when (local time), how far.
std::string run_name(const train::Session& session) {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char when[32];
  std::strftime(when, sizeof when, "%Y%m%d-%H%M%S", &local);
  return session.spec().dataset + "-" + when + "-epoch" + std::to_string(session.epoch());
}

}  // namespace

LiveSession::LiveSession(train::RunSpec spec, std::function<void()> on_publish,
                         std::function<void(const std::string&)> on_error,
                         std::function<void(const std::string&)> on_reply, Budget* memory,
                         std::function<void(std::string)> on_binary)
    : on_publish_(std::move(on_publish)),
      on_error_(std::move(on_error)),
      on_reply_(std::move(on_reply)),
      on_binary_(std::move(on_binary)),
      memory_(memory),
      reservation_(reserve(spec)),
      accepted_spec_(spec) {
  rebuild(spec, {});
  start_timeline();
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

void LiveSession::show_checkpoint(const TimelineRequest& request) {
  Job job(Job::Checkpoint);
  job.command.timeline = request;
  std::lock_guard lock(mutex_);
  // A dragged scrubber asks faster than maps are drawn: only the newest position matters.
  const auto waiting = std::find_if(commands_.begin(), commands_.end(), [](const Job& j) { return j.type == Job::Checkpoint; });
  if (waiting != commands_.end())
    *waiting = std::move(job);
  else
    commands_.push_back(std::move(job));
  wake_.notify_one();
}

void LiveSession::export_gif(const TimelineRequest& request) {
  Job job(Job::ExportGif);
  job.command.timeline = request;
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

namespace {

std::size_t parameter_count(const train::RunSpec& spec) {
  const std::size_t classes = static_cast<std::size_t>(train::num_classes(spec));
  std::size_t params = 0, width = spec.features.size();
  for (const auto& layer : spec.hidden_layers) {
    const auto units = static_cast<std::size_t>(layer.units);
    params += (width + 1) * units;
    width = units;
  }
  return params + (width + 1) * (classes > 2 ? classes : 1);
}

std::size_t snapshot_bytes(const train::RunSpec& spec) { return train::kSnapshotHeaderBytes + 2 * parameter_count(spec); }

}  // namespace

std::size_t LiveSession::timeline_capacity(const train::RunSpec& spec) {
  return std::clamp<std::size_t>(kMaxTimelineBytes / snapshot_bytes(spec), 2, kMaxLiveCheckpoints);
}

std::size_t LiveSession::estimate_bytes(const train::RunSpec& spec) {
  constexpr std::size_t kPointBytes = 48;  // "[-5.1234567,4.1234567,-1]," at most, in the data message
  constexpr std::size_t kCells = std::size_t{kGridResolution} * kGridResolution;
  const std::size_t classes = static_cast<std::size_t>(train::num_classes(spec));
  const std::size_t maps = classes > 2 ? classes : 1;
  // Every node (inputs, hidden units, outputs) and every parameter, as a frame carries them.
  std::size_t nodes = spec.features.size() + maps;
  for (const auto& layer : spec.hidden_layers) nodes += static_cast<std::size_t>(layer.units);
  const std::size_t params = parameter_count(spec);
  const std::size_t unit_maps = nodes * kUnitGrid * kUnitGrid * (sizeof(float) + 1);
  const std::size_t frame = 28 + maps * kCells * sizeof(float) + params * sizeof(float) + nodes * kUnitGrid * kUnitGrid;
  // The timeline: its snapshots, and a request's class maps (four checkpoints and one between)
  // and rendered map. A GIF being built adds at most kMaxGifBytes for a moment.
  constexpr std::size_t kMapPixels = std::size_t{kTimelineMapSize} * kTimelineMapSize;
  const std::size_t timeline = timeline_capacity(spec) * snapshot_bytes(spec) +
                               probe::OutputGrid::estimate_bytes(spec, kGridResolution) +  // its grid's workspaces
                               5 * std::max<std::size_t>(classes, 2) * kCells * sizeof(float) + kMapPixels * 5;
  return train::Session::estimate_bytes(spec) + probe::OutputGrid::estimate_bytes(spec, kGridResolution) +
         (maps > 1 ? 2 * maps * kCells * sizeof(float) : 0) + unit_maps + static_cast<std::size_t>(spec.num_samples) * kPointBytes +
         3 * frame + timeline;  // frames: newest, sent, being written
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
  std::filesystem::path runs_dir;
  for (;;) {
    std::vector<Job> todo;
    {
      std::unique_lock lock(mutex_);
      const auto woken = [this] { return stopping_ || !commands_.empty(); };
      if (running_)
        wake_.wait_until(lock, next_frame_, woken);
      else
        wake_.wait(lock, woken);
      if (stopping_) {
        runs_dir = runs_dir_;
        break;
      }
      todo.swap(commands_);
    }
    for (auto& command : todo) guarded([&] { apply(command); });
    if (running_ && Clock::now() >= next_frame_) {
      next_frame_ = Clock::now() + kFramePeriod;
      guarded([this] {
        const int limit = settings_.stop_epoch, before = session_->epoch();
        for (int e = 0; e < settings_.epochs_per_frame; ++e) {
          train_epoch();
          if (limit > before && session_->epoch() >= limit) {
            stopped_ = "epoch limit " + std::to_string(limit) + " reached";
            break;
          }
        }
        publish();
      });
    }
  }
  if (!runs_dir.empty()) save_run(runs_dir);
}

void LiveSession::save_on_stop(std::filesystem::path runs_dir) {
  std::lock_guard lock(mutex_);
  runs_dir_ = std::move(runs_dir);
}

// On the session thread as it stops: no one can be told of a failure but the server's log.
void LiveSession::save_run(const std::filesystem::path& runs_dir) {
  if (session_->epoch() == 0) return;
  std::filesystem::path dir;
  try {
    timeline_->finish(*session_);
    dir = claim_directory(runs_dir, run_name(*session_));
    timeline_->save(dir);
    std::cerr << "netlens: saved the Playground run in progress (epoch " << session_->epoch() << ") to "
              << dir.string() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "netlens: cannot save the Playground run in progress: " << e.what() << "\n";
    std::error_code ignored;
    if (!dir.empty()) std::filesystem::remove_all(dir, ignored);  // no half-written run left behind
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
      train_epoch();
      break;
    case Job::Reset:
      running_ = false;
      session_->reset();
      start_timeline();
      break;
    case Job::SetSpec:
      running_ = false;
      rebuild(job.spec, job.keep_points ? session_->custom_points() : train::CustomPoints{});
      reservation_ = std::move(job.reservation);  // releases the old run's
      start_timeline();
      break;
    case Job::Import:
      running_ = false;
      rebuild(job.spec, {});
      reservation_ = std::move(job.reservation);
      session_->load_params(job.params);
      start_timeline();
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
      start_timeline();
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
    case Job::Checkpoint:
      try_command("checkpoint", [&] {
        std::string reply = timeline_view_->checkpoint(*session_, *timeline_, job.command.timeline, *grid_, *units_, timelines_);
        if (on_binary_) on_binary_(std::move(reply));
      });
      return;
    case Job::ExportGif:
      try_command("export_gif", [&] {
        std::string reply = timeline_view_->gif(*session_, *timeline_, job.command.timeline, timelines_);
        if (on_binary_) on_binary_(std::move(reply));
      });
      return;
  }
  publish();
}

void LiveSession::rebuild(const train::RunSpec& spec, train::CustomPoints custom) {
  auto session = std::make_unique<train::Session>(spec, std::move(custom));
  auto grid = std::make_unique<probe::OutputGrid>(*session, kGridResolution);
  auto units = std::make_unique<probe::UnitMaps>(*session, kUnitGrid, grid->domain());
  auto view = std::make_unique<TimelineView>(*session, grid->domain(), kGridResolution);
  std::unique_ptr<probe::ProbabilityMap> class_map;
  if (session->spec().problem == data::Problem::Classification && train::num_classes(session->spec()) > 2)
    class_map = std::make_unique<probe::ProbabilityMap>(*session, probe::square_grid(grid->domain(), kGridResolution));
  std::size_t params = 0;
  for (const auto& p : session->network().params()) params += p.value->size();
  session_ = std::move(session);
  grid_ = std::move(grid);
  units_ = std::move(units);
  class_map_ = std::move(class_map);
  timeline_view_ = std::move(view);
  params_.assign(params, 0.0f);
  ++runs_;
  announce_data();
}

void LiveSession::start_timeline() {
  timeline_ = std::make_unique<train::SnapshotStore>(*session_, train::ScheduleSpec{},
                                                     timeline_capacity(session_->spec()));
  timeline_->record(*session_);
  ++timelines_;
  announce_timeline();
}

void LiveSession::train_epoch() {
  const auto& list = timeline_->checkpoints();
  const std::size_t count = list.size();
  const long last = list.back().examples;
  timeline_->train_epoch(*session_);
  if (list.size() != count || list.back().examples != last) announce_timeline();
}

void LiveSession::announce_timeline() {
  if (on_reply_) on_reply_(timeline_message(timelines_, session_->train_set().size(), timeline_->checkpoints()));
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
