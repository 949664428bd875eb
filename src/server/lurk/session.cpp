#include "server/lurk/session.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "nn/image_network.hpp"
#include "server/common/memory.hpp"
#include "server/common/model_files.hpp"
#include "server/lurk/messages.hpp"
#include "train/image_data.hpp"
#include "train/run_folder.hpp"

// The session's life, opening a model and its dataset pass. The other commands are answered in
// session_units.cpp (a layer, a unit, a dream), session_explain.cpp (why this answer, how a
// unit computes) and session_live.cpp (checkpoints, a run trained here).
namespace netlens::server::lurk {

using nlohmann::json;
namespace fs = std::filesystem;

std::vector<std::string> list_model_runs(const fs::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  if (dir.empty()) return out;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_directory(ec) && fs::is_regular_file(e.path() / train::kRunModelName, ec)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

LurkSession::LurkSession(Outbox& outbox, LurkOptions options, Budget& memory, digits::ImageDataCache& data)
    : SessionActor(outbox, "netlens lurk", kTickPeriod),
      options_(std::move(options)),
      memory_(memory),
      data_cache_(data) {
  start();
}

LurkSession::~LurkSession() { stop(); }

Command LurkSession::parse(const std::string& type, const json& message) const { return parse_command(type, message); }

std::string LurkSession::coalescing_key(const Command& command) const {
  // A newer explain (a stroke) replaces one still waiting, and so does a newer sanity check.
  if (std::holds_alternative<Explain>(command)) return "explain";
  return std::holds_alternative<Sanity>(command) ? "sanity" : "";
}

void LurkSession::begin() {
  send_text(hello_message(list_model_files(options_.models_dir), list_model_runs(options_.runs_dir)).dump());
}

void LurkSession::recover() {
  close_live_run();
  pass_.reset();
  model_.reset();
  bp_.reset();
  manifest_ = nullptr;
}

void LurkSession::apply(Command& command) {
  std::visit([this](const auto& c) { on(c); }, command);
}

void LurkSession::on(const Open& c) {
  const fs::path path = options_.models_dir / c.model;
  if (!fs::is_regular_file(path))
    throw Error("model", c.model + " is not in the models folder " + options_.models_dir.string() + " (it holds: " +
                             [&] {
                               std::string s;
                               for (const auto& m : list_model_files(options_.models_dir)) s += (s.empty() ? "" : ", ") + m;
                               return s.empty() ? std::string("no model; train one on the Digits page") : s;
                             }() + ")");
  open_model(path, options_.models_dir / (path.stem().string() + ".checkpoints"), c.model, false);
}

void LurkSession::on(const OpenRun& c) {
  if (options_.runs_dir.empty()) throw Error("run", "this server keeps no runs folder (serve --runs DIR)");
  const fs::path dir = options_.runs_dir / c.run;
  if (!fs::is_regular_file(dir / train::kRunModelName))
    throw Error("run", fs::is_directory(dir) ? "the run " + c.run + " holds no " + train::kRunModelName + " (an image network's run has one)"
                                             : "no run named " + c.run + " in the runs folder " + options_.runs_dir.string());
  const bool live = options_.live && options_.live->writes(c.run);
  open_model(dir / train::kRunModelName, dir / train::kRunCheckpointsName, "run " + c.run, live);
  if (live) follow_run(dir);
}

// Loads the model and its test images; the pass comes from the cache or starts here. A model
// or data set that cannot be read leaves the one open before as it was.
void LurkSession::open_model(const fs::path& path, const fs::path& checkpoints, const std::string& name, bool live) {
  auto model = std::make_unique<nn::Model>(nn::load_image_model(path));
  const std::string dataset = probe::lurk::model_dataset(*model, "");
  const std::string dir = dataset == "mnist" ? options_.mnist_dir : "";
  probe::lurk::LurkImages images = probe::lurk::load_lurk_images(*model, dataset, kSplit, dir, live ? kLiveImages : 0);
  Budget::Reservation reservation = reserve_memory(
      memory_, images.images.size() * sizeof(float) + 64 * model->network.param_count() * sizeof(float) + (8u << 20),
      "this model and its test images", "close another tab, or start the server with a larger limit");

  close_live_run();
  reservation_ = std::move(reservation);
  pass_.reset();
  bp_.reset();
  checkpoint_model_.reset();
  shown_checkpoint_ = -1;
  model_ = std::move(model);
  model_name_ = name;
  input_.clear();
  dataset_ = dataset;
  classes_ = model_->header.value("classes", train::class_names(dataset));
  images_ = std::move(images);
  model_cache_dir_ = exports::default_lurk_dir(path.string(), dataset, kSplit);
  timeline_ = {};
  if (fs::exists(checkpoints)) {
    try {
      timeline_ = train::ImageTimeline::load(checkpoints, model_->network.param_count());
      checkpoint_model_ = std::make_unique<nn::Model>(nn::Model{model_->header, model_->spec, nn::build_image_network(model_->spec, 1)});
    } catch (const Error& e) {
      timeline_ = {};
      send_error(std::nullopt, std::string("checkpoints: ") + e.what());  // the model itself is fine
    }
  }
  json message = network_message(model_name_, model_->network, classes_, dataset, kSplit, images_.size());
  json list = json::array();
  for (const auto& s : timeline_.checkpoints()) list.push_back({{"examples", s.examples}, {"epoch", s.epoch}});
  message["checkpoints"] = std::move(list);
  message["live"] = live;
  send_text(message.dump());
  start_pass();
}

void LurkSession::start_pass() {
  pass_.reset();
  layer_dreams_ = {};  // they were of the network shown before
  manifest_ = nullptr;
  gradient_max_.clear();
  nn::Model& m = shown();
  key_ = {probe::lurk::weights_hash(m), dataset_, kSplit, images_.size(), kTop};
  cache_dir_ = shown_checkpoint_ < 0 ? model_cache_dir_
                                     : model_cache_dir_.parent_path() / (model_cache_dir_.filename().string() + "-checkpoint-" +
                                                                         std::to_string(shown_checkpoint_));
  bp_ = std::make_unique<probe::lurk::Backprop>(m.network, kCapacity);
  try {
    if (auto cached = exports::read_lurk_manifest(cache_dir_); cached && key_.matches((*cached)["key"])) manifest_ = std::move(*cached);
  } catch (const Error&) {
    // A corrupt cache is computed again and replaced.
  }
  if (!manifest_.is_null()) {
    send_text(progress_message(images_.size(), images_.size(), true).dump());
    return;
  }
  pass_ = std::make_unique<probe::lurk::DatasetPass>(m.network, static_cast<int>(classes_.size()), kTop);
  pass_start_ = Clock::now();
  send_text(progress_message(0, images_.size(), false).dump());
}


void LurkSession::tick() {
  if (training_) train_for_a_while();
  if (!followed_run_.empty() && Clock::now() - last_poll_ >= kPollPeriod) poll_followed_run();
  if (pass_) {
    const int first = pass_->images_seen(), n = std::min(kChunk, images_.size() - first);
    pass_->add(image(first), images_.labels.data() + first, first, n);
    if (pass_->images_seen() < images_.size())
      send_text(progress_message(pass_->images_seen(), images_.size(), false).dump());
    else
      finish_pass();
    return;
  }
  if (layer_dreams_.layer >= 0) dream_next_unit();
  // A followed checkpoint stays on show a while once its pass is done, and until the page has
  // asked for one of its units (or a longer while), so that the page's requests are answered
  // before the next pass starts.
  const int newest = static_cast<int>(timeline_.checkpoints().size()) - 1;
  const auto shown_for = Clock::now() - pass_end_;
  if (follow_ && newest > shown_checkpoint_ && ((unit_shown_ && shown_for >= kFollowDwell) || shown_for >= kFollowWait))
    show_checkpoint(newest);
}

void LurkSession::finish_pass() {
  const double seconds = std::chrono::duration<double>(Clock::now() - pass_start_).count();
  probe::lurk::Backprop bp(shown().network, kTop);
  manifest_ = exports::write_lurk_cache(cache_dir_, key_, *pass_, bp, images_, classes_, seconds);
  pass_.reset();
  pass_end_ = Clock::now();
  unit_shown_ = false;
  send_text(progress_message(images_.size(), images_.size(), false).dump());
}

void LurkSession::need_model() const {
  if (!model_) throw Error("no model is open; open one first");
}

const json& LurkSession::need_manifest() const {
  need_model();
  if (manifest_.is_null())
    throw Error("the dataset pass is still running (" + std::to_string(pass_ ? pass_->images_seen() : 0) + " of " +
                std::to_string(images_.size()) + " images); wait for it");
  return manifest_;
}

const float* LurkSession::image(int index) const {
  return images_.images.data() + static_cast<std::size_t>(index) * shape_size(model_->network.input_shape());
}

}  // namespace netlens::server::lurk
