#include "server/playground/session.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <iostream>
#include <optional>

#include "core/error.hpp"
#include "data/csv_points.hpp"

namespace netlens::server::playground {

namespace {

// "circle-20261123-164005-epoch312": what, when (local time), how far.
std::string run_name(const train::Session& session) {
  return session.spec().dataset + "-" + train::run_timestamp() + "-epoch" + std::to_string(session.epoch());
}

// A data set brings the loss it needs when the change names none: squared_error for regression,
// softmax_cross_entropy for more than two classes, and for a binary set the loss of the last
// binary run (`binary_loss`) when the current loss was one the old set forced.
nlohmann::json with_the_datasets_loss(nlohmann::json changes, const train::RunSpec& current, nn::Loss binary_loss) {
  if (!changes.contains("dataset") || changes.contains("loss") || !changes["dataset"].is_string()) return changes;
  const auto& known = data::synthetic2d_sets();
  const std::string name = changes["dataset"].get<std::string>();
  const auto set = std::find_if(known.begin(), known.end(), [&](const data::Synthetic2D& s) { return s.name == name; });
  if (set == known.end()) return changes;  // parse_run_spec names it
  const auto& old_set = data::find_synthetic2d(current.dataset, "dataset");
  const bool forced = old_set.problem == data::Problem::Regression || old_set.classes > 2;
  nn::Loss loss = current.loss;
  if (set->problem == data::Problem::Regression) loss = nn::Loss::SquaredError;
  else if (set->classes > 2) loss = nn::Loss::SoftmaxCrossEntropy;
  else if (forced) loss = binary_loss;
  changes["loss"] = std::string(nn::loss_name(loss));
  return changes;
}

}  // namespace

PlaygroundSession::PlaygroundSession(Outbox& outbox, Budget* memory, RunsFolder runs, train::RunSpec spec,
                                     const std::filesystem::path& open_run)
    : SessionActor(outbox, "netlens session", kFramePeriod),
      memory_(memory),
      runs_dir_(std::move(runs.dir)),
      keep_runs_(runs.keep) {
  if (runs.live) live_ = runs.live->add("playground", "netlens", spec.dataset);
  rebuild(spec, {}, reserve(spec));
  try {
    if (!open_run.empty()) open_saved(open_run);
  } catch (const std::exception& e) {
    std::cerr << "netlens: cannot open the saved run: " << e.what() << "\n";
  }
  start_timeline();
  publish_frame();
  start();
}

PlaygroundSession::~PlaygroundSession() { stop(); }

Command PlaygroundSession::parse(const std::string& type, const nlohmann::json& message) const {
  return parse_command(type, message);
}

// A dragged scrubber asks faster than maps are drawn: only the newest position matters.
std::string PlaygroundSession::coalescing_key(const Command& command) const {
  return std::holds_alternative<Checkpoint>(command) ? "checkpoint" : "";
}

// The greeting goes first, whatever the page sends meanwhile: hello, then the constructor's
// run (spec, data, timeline) and its epoch-0 frame.
void PlaygroundSession::begin() {
  send_text(hello_message());
  greeted_ = true;
  announce_timeline();
  send_frame(frame(), true);
}

void PlaygroundSession::apply(Command& command) {
  // A followed run trains elsewhere: what would train or change it here is refused; looking
  // (the timeline, export) and opening another run are not.
  const bool looks = std::holds_alternative<Export>(command) || std::holds_alternative<ListRuns>(command) ||
                     std::holds_alternative<OpenRun>(command) || std::holds_alternative<Checkpoint>(command) ||
                     std::holds_alternative<ExportGif>(command) || std::holds_alternative<Pause>(command);
  if (followed_ && !looks)
    throw Error("run", "the training runs elsewhere: this page follows the ingested run '" + followed_->name() +
                           "'; open a new Playground to train here");
  std::visit([this](const auto& c) { on(c); }, command);
}

void PlaygroundSession::tick() {
  if (followed_) {
    if (!followed_->catch_up(*session_, *timeline_)) return;
    announce_timeline();
    return publish_frame();
  }
  const int limit = settings_.stop_epoch, before = session_->epoch();
  for (int e = 0; e < settings_.epochs_per_frame; ++e) {
    train_epoch();
    if (limit > before && session_->epoch() >= limit) {
      stopped_ = "epoch limit " + std::to_string(limit) + " reached";
      break;
    }
  }
  publish_frame();
}

// A failure (out of memory building a huge network, say) stops the run but not the thread:
// the last good session stays, and so does its spec.
void PlaygroundSession::recover() {
  running_ = false;
  publish_frame();  // says running: false
}

void PlaygroundSession::on(const Play&) { running_ = true; }

void PlaygroundSession::on(const Pause&) {
  if (!running_) return;
  running_ = false;
  publish_frame();
}

void PlaygroundSession::on(const Step&) {
  running_ = false;
  train_epoch();
  publish_frame();
}

void PlaygroundSession::on(const Reset&) {
  running_ = false;
  notice_.clear();
  session_->reset();
  start_timeline();
  publish_frame();
}

void PlaygroundSession::on(const SetSpec& command) {
  train::RunSpec next;
  try {
    next = train::parse_run_spec(with_the_datasets_loss(command.changes, session_->spec(), binary_loss_),
                                 session_->spec());
  } catch (const Error& e) {
    throw Error(std::string("spec.") + e.what());
  }
  // Training settings apply from the next step: the run goes on, playing if it was.
  if (train::same_data_and_network(session_->spec(), next)) {
    auto reservation = reserve(next);  // the batch size changes the need
    try {
      session_->change_training(next);
    } catch (const Error& e) {
      throw Error(std::string("spec.") + e.what());
    }
    reservation_ = std::move(reservation);
    announce_data();  // the new spec, the same run
    publish_frame();
    return;
  }
  bool keep_points = true;
  for (const char* key : {"dataset", "noise", "num_samples", "data_seed"})
    if (command.changes.contains(key)) keep_points = false;
  auto reservation = reserve(next);  // throws: nothing changes
  running_ = false;
  rebuild(next, keep_points ? session_->custom_points() : train::CustomPoints{}, std::move(reservation));
  start_timeline();
  publish_frame();
}

void PlaygroundSession::on(const Import& command) {
  train::ImportedModel imported = train::import_model(command.model);  // throws: nothing changes
  auto reservation = reserve(imported.spec);
  running_ = false;
  rebuild(imported.spec, {}, std::move(reservation));
  session_->load_params(imported.params);
  session_->start_at_epoch(imported.epoch);
  start_timeline();
  publish_frame();
}

void PlaygroundSession::on(const SetRun& command) {
  settings_ = apply_run_settings(settings_, command);
  publish_frame();
}

void PlaygroundSession::on(const SetParam& c) {
  session_->set_param(c.layer, c.unit, c.input, c.value);
  publish_frame();
}

void PlaygroundSession::on(const AddPoint& command) {
  const auto& spec = session_->spec();
  const int classes = train::num_classes(spec);
  const float label = command.point.label;
  // k classes train on one-hot targets: anything but a class index would be no class at all.
  if (spec.problem == data::Problem::Classification && classes > 2 && !(label >= 0 && label < classes && label == std::floor(label)))
    throw Error("label", "must be a class 0.." + std::to_string(classes - 1) + " (the run has " + std::to_string(classes) +
                             " classes), got " + nlohmann::json(label).dump());
  session_->add_point(command.point);
  announce_data();
  publish_frame();
}

void PlaygroundSession::on(const UploadCsv& command) {
  const auto& spec = session_->spec();
  auto read = data::read_csv_points(command.text, command.name, spec.problem, train::num_classes(spec), command.rescale);
  running_ = false;
  // The new spec message names the file.
  Upload previous = std::exchange(upload_, Upload{command.name, read.rescaled});
  try {
    rebuild(session_->spec(), {std::move(read.points), {}}, std::move(reservation_));
  } catch (...) {
    upload_ = std::move(previous);
    throw;
  }
  start_timeline();
  publish_frame();
}

void PlaygroundSession::on(const Prune& c) {
  session_->prune(c.layer, session_->weakest_units(c.layer, c.count, c.by));
  publish_frame();
}

void PlaygroundSession::on(const Export&) { send_text(export_message(*session_)); }

void PlaygroundSession::on(const ListRuns&) { send_text(runs_message(runs_dir_)); }

void PlaygroundSession::on(const OpenRun& command) {
  if (runs_dir_.empty()) throw Error("run", "this server saves no runs");
  const std::string& name = command.run;
  if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos)
    throw Error("run", "must be the name of a saved run, got '" + excerpt(name) + "'");
  if (!std::filesystem::is_directory(runs_dir_ / name)) throw Error("run", "no saved run named '" + excerpt(name) + "'");
  open_saved(runs_dir_ / name);
  followed_.reset();
  if (command.follow) followed_.emplace(runs_dir_ / name, *session_);
  start_timeline();
  publish_frame();
}

// A saved run goes on from its last checkpoint: its spec, its weights (float16, as saved) and
// its epoch; its data is generated again from the spec (uploaded points are not saved).
void PlaygroundSession::open_saved(const std::filesystem::path& dir) {
  const auto saved = train::Timeline::open(dir);
  if (saved.size() == 0) throw Error(dir.string(), "holds no checkpoints");
  auto reservation = reserve(saved.spec());
  running_ = false;
  upload_ = {};
  rebuild(saved.spec(), {}, std::move(reservation));
  saved.restore(saved.size() - 1, *session_);
  session_->start_at_epoch(saved.checkpoints().back().epoch);
}

void PlaygroundSession::on(const Checkpoint& c) {
  send_binary(timeline_view_->checkpoint(*session_, *timeline_, c.request, *grid_, *units_, timelines_));
}

void PlaygroundSession::on(const ExportGif& c) {
  send_binary(timeline_view_->gif(*session_, *timeline_, c.request, timelines_));
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

std::size_t PlaygroundSession::timeline_capacity(const train::RunSpec& spec) {
  return std::clamp<std::size_t>(kMaxTimelineBytes / snapshot_bytes(spec), 2, kMaxLiveCheckpoints);
}

std::size_t PlaygroundSession::estimate_bytes(const train::RunSpec& spec) {
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

Budget::Reservation PlaygroundSession::reserve(const train::RunSpec& spec) const {
  if (!memory_) return {};
  const std::size_t need = estimate_bytes(spec);
  if (auto reservation = memory_->reserve(need)) return std::move(*reservation);
  const auto mib = [](std::size_t bytes) { return std::to_string((bytes + (1 << 20) - 1) >> 20) + " MiB"; };
  throw Error("memory", "this run needs about " + mib(need) + "; the sessions of this server may use " +
                            mib(memory_->limit()) + " in all (netlens serve --memory-limit) and " + mib(memory_->used()) +
                            " are in use; choose fewer or narrower layers, fewer points or a smaller batch");
}

std::shared_ptr<const Frame> PlaygroundSession::frame() const {
  std::lock_guard lock(frame_mutex_);
  return frame_;
}

// On the session thread as it stops: no one can be told of a failure but the server's log.
void PlaygroundSession::finish() {
  // A followed run is saved already, as its own run directory: no copy of it.
  if (runs_dir_.empty() || session_->epoch() == 0 || followed_) return;
  std::filesystem::path dir;
  try {
    timeline_->finish(*session_);
    dir = train::claim_run_directory(runs_dir_, run_name(*session_));
    train::write_run_meta(dir, {.starred = false, .automatic = true});  // before the manifest lists it
    timeline_->save(dir);
    std::cerr << "netlens: saved the Playground run in progress (epoch " << session_->epoch() << ") to "
              << dir.string() << "\n";
    for (const auto& old : train::prune_automatic_runs(runs_dir_, keep_runs_))
      std::cerr << "netlens: removed the automatic save " << old << " (the newest " << keep_runs_
                << " unstarred are kept)\n";
  } catch (const std::exception& e) {
    std::cerr << "netlens: cannot save the Playground run in progress: " << e.what() << "\n";
    std::error_code ignored;
    if (!dir.empty()) std::filesystem::remove_all(dir, ignored);  // no half-written run left behind
  }
}

void PlaygroundSession::rebuild(const train::RunSpec& spec, train::CustomPoints custom, Budget::Reservation&& reservation) {
  auto session = std::make_unique<train::Session>(spec, std::move(custom));
  auto grid = std::make_unique<probe::OutputGrid>(*session, kGridResolution);
  auto units = std::make_unique<probe::UnitMaps>(*session, kUnitGrid, grid->domain());
  auto view = std::make_unique<TimelineView>(*session, grid->domain(), kGridResolution);
  std::unique_ptr<probe::ProbabilityMap> class_map;
  if (session->spec().problem == data::Problem::Classification && train::num_classes(session->spec()) > 2)
    class_map = std::make_unique<probe::ProbabilityMap>(*session, probe::square_grid(grid->domain(), kGridResolution));
  std::size_t params = 0;
  for (const auto& p : session->network().params()) params += p.value->size();
  reservation_ = std::move(reservation);  // releases the old run's
  session_ = std::move(session);
  grid_ = std::move(grid);
  units_ = std::move(units);
  class_map_ = std::move(class_map);
  timeline_view_ = std::move(view);
  params_.assign(params, 0.0f);
  notice_.clear();
  if (session_->spec().problem == data::Problem::Classification && train::num_classes(session_->spec()) == 2)
    binary_loss_ = session_->spec().loss;
  ++runs_;
  announce_data();
}

void PlaygroundSession::start_timeline() {
  timeline_ = std::make_unique<train::SnapshotStore>(*session_, train::ScheduleSpec{},
                                                     timeline_capacity(session_->spec()));
  timeline_->record(*session_);
  ++timelines_;
  announce_timeline();
}

void PlaygroundSession::train_epoch() {
  const auto& list = timeline_->checkpoints();
  const std::size_t count = list.size();
  const long last = list.back().examples;
  timeline_->train_epoch(*session_);
  if (list.size() != count || list.back().examples != last) announce_timeline();
}

}  // namespace netlens::server::playground
