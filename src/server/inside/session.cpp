#include "server/inside/session.hpp"

#include <cmath>

#include "core/error.hpp"
#include "data/synthetic2d.hpp"
#include "server/common/memory.hpp"

namespace netlens::server::inside {

namespace {
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

std::size_t estimate_bytes(const train::TracedRunSpec& spec) {
  std::size_t params = 0, width = 2, units = 2;
  for (int u : spec.hidden) {
    params += (width + 1) * static_cast<std::size_t>(u);
    width = static_cast<std::size_t>(u);
    units += 2 * width;  // pre-activations and activations
  }
  params += width + 1;
  const std::size_t records =
      static_cast<std::size_t>(std::min(spec.epochs / spec.refresh, train::TracedRunLimits::kMaxRecords)) + 2;
  const std::size_t record = sizeof(train::TraceRecord) + params * sizeof(float) + spec.hidden.size() * sizeof(double) + 64;
  const std::size_t samples = static_cast<std::size_t>(spec.num_samples);
  const std::size_t pictures = (kBoundaryGrid * kBoundaryGrid + kSurfaceGrid * kSurfaceGrid) * sizeof(float) * 4 +
                               samples * 3 * sizeof(float) * 2 + kTrajectoryPoints * 5 * sizeof(float) * 2;
  return train::Session::estimate_bytes(train::playground_spec(spec)) + records * record +
         2 * samples * (units + 1) * sizeof(float) + pictures;
}

namespace {
Budget::Reservation reserve(Budget& memory, const train::TracedRunSpec& spec) {
  return reserve_memory(memory, estimate_bytes(spec), "this run",
                        "choose fewer or narrower layers, fewer points or fewer refreshes");
}
}  // namespace

// The first run's memory is reserved here, so a server without room refuses the connection.
InsideSession::InsideSession(Outbox& outbox, Budget& memory)
    : SessionActor(outbox, "netlens inside", kFramePeriod), memory_(memory), reservation_(reserve(memory, {})) {
  start();
}

InsideSession::~InsideSession() { stop(); }

Command InsideSession::parse(const std::string& type, const nlohmann::json& message) const {
  return parse_command(type, message);
}

// A dragged mouse probes faster than frames are drawn: only the newest point matters.
std::string InsideSession::coalescing_key(const Command& command) const {
  return std::holds_alternative<Probe>(command) ? "probe" : "";
}

void InsideSession::begin() {
  send_text(hello_message().dump());
  start_run(train::TracedRunSpec{}, std::move(reservation_));
}

void InsideSession::apply(Command& command) {
  std::visit([this](const auto& c) { on(c); }, command);
}

void InsideSession::recover() {
  running_ = false;
  if (run_) publish_frame();
}

void InsideSession::on(const SetSpec& command) { start_run(merge_spec(command.changes, run_->spec())); }

void InsideSession::on(const SetView& command) {
  View view = merge_view(command.changes, view_);
  if (view.weight_axes) {
    const int n = static_cast<int>(run_->session().network().param_count());
    for (auto [v, name] : {std::pair{view.first, "first"}, std::pair{view.second, "second"}})
      if (v >= n) throw Error(name, "must be a parameter index 0.." + std::to_string(n - 1) + ", got " + std::to_string(v));
    if (view.first == view.second) throw Error("second", "must differ from first");
  }
  view_ = view;
  compute();
  publish_frame();
}

void InsideSession::on(const Play&) {
  if (run_->finished() || stopped_) start_run(run_->spec());
  running_ = true;
}

void InsideSession::on(const Pause&) {
  running_ = false;
  publish_frame();
}

void InsideSession::on(const Step&) {
  running_ = false;
  if (!stopped_) return advance();
  publish_frame();
}

void InsideSession::on(const Reset&) { start_run(run_->spec()); }

void InsideSession::on(const Stop&) {
  running_ = false;
  stopped_ = true;
  publish_frame();
}

void InsideSession::on(const Probe& command) {
  frame_.probe_x1 = command.x1;
  frame_.probe_x2 = command.x2;
  compute_nodes();
  publish_frame();
}

void InsideSession::start_run(const train::TracedRunSpec& spec) { start_run(spec, reserve(memory_, spec)); }

// `spec` is a copy: it may be the old run's, which this replaces.
void InsideSession::start_run(train::TracedRunSpec spec, Budget::Reservation reservation) {
  run_ = std::make_unique<train::TracedRun>(spec);
  reservation_ = std::move(reservation);  // releases the old run's
  domain_ = inside_domain(spec);
  boundary_ = std::make_unique<probe::OutputGrid>(run_->session(), kBoundaryGrid, domain_);
  const auto& first = run_->session().train_set().points.front();
  frame_.probe_x1 = first.x1;
  frame_.probe_x2 = first.x2;
  running_ = stopped_ = false;
  const int hidden = static_cast<int>(spec.hidden.size());
  if (view_.layer >= hidden) view_.layer = -1;
  const int params = static_cast<int>(run_->session().network().param_count());
  if (view_.first >= params || view_.second >= params) view_.weight_axes = false, view_.first = 0, view_.second = 1;
  drop_newest();  // a frame of the old run
  send_text(run_message(++runs_, *run_, domain_).dump());
  compute();
  publish_frame();
}

void InsideSession::advance() {
  run_->advance();
  if (run_->finished()) running_ = false;
  if (!std::isfinite(run_->trace().back().loss)) {
    running_ = false;
    send_error(std::nullopt, "diverged: at epoch " + std::to_string(run_->trace().back().epoch) +
                                 " the training loss is not finite; lower the learning rate and reset");
  }
  compute();
  publish_frame();
}

void InsideSession::compute() {
  auto& session = run_->session();
  auto& network = session.network();
  Frame& f = frame_;
  f.record = &run_->trace().back();
  f.params = train::flat_params(network);
  compute_nodes();
  f.hidden_layer = view_.layer < 0 ? static_cast<int>(run_->spec().hidden.size()) - 1 : view_.layer;
  f.hidden.reset();
  f.hidden_error.clear();
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
  f.trajectory.clear();
  try {
    f.trajectory = probe::project_trajectory(network, set, run_->spec().loss, f.params, directions,
                                             trajectory_records(run_->trace()));
  } catch (const Error&) {
    // Random directions of an all-zero layer are zero, hence dependent: no path to draw.
  }
}

void InsideSession::compute_nodes() { frame_.nodes = probe::node_values(run_->session(), frame_.probe_x1, frame_.probe_x2); }

void InsideSession::publish_frame() {
  frame_.seq = seq_++;
  frame_.running = running_;
  frame_.stopped = stopped_;
  publish({text_message(frame_message(frame_, *run_, view_).dump()),
           {std::make_shared<const std::string>(frame_tensors(frame_)), true}});
}

}  // namespace netlens::server::inside
