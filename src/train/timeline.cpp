#include "train/timeline.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/json.hpp"

namespace netlens::train {

using nlohmann::json;

namespace {

std::string checkpoint_file_name(std::size_t index) {
  char name[48];  // room for any size_t
  std::snprintf(name, sizeof name, "checkpoint-%05zu.bin", index);
  return name;
}

json loss_json(double loss) { return std::isfinite(loss) ? json(loss) : json(nullptr); }

json checkpoint_json(const Checkpoint& c) {
  json j{{"file", c.file},
         {"examples", c.examples},
         {"steps", c.steps},
         {"epoch", c.epoch},
         {"train_loss", loss_json(c.train_loss)},
         {"test_loss", loss_json(c.test_loss)}};
  if (c.train_accuracy) j["train_accuracy"] = *c.train_accuracy;
  if (c.test_accuracy) j["test_accuracy"] = *c.test_accuracy;
  return j;
}

// Field readers for the manifest: each names the field when the value is missing or wrong.
const json& field(const json& j, const std::string& key, const std::string& path) {
  if (!j.is_object() || !j.contains(key)) throw Error(path + key, "is missing");
  return j[key];
}

long read_count(const json& j, const std::string& key, const std::string& path) {
  const json& v = field(j, key, path);
  if (!v.is_number_integer() || v.get<long long>() < 0 || v.get<long long>() > std::numeric_limits<long>::max() / 2)
    throw Error(path + key, "must be a non-negative integer, got " + v.dump());
  return static_cast<long>(v.get<long long>());
}

double read_loss(const json& j, const std::string& key, const std::string& path) {
  const json& v = field(j, key, path);
  if (v.is_null()) return std::numeric_limits<double>::quiet_NaN();
  if (!v.is_number()) throw Error(path + key, "must be a number or null, got " + v.dump());
  return v.get<double>();
}

Checkpoint read_checkpoint(const json& j, const std::string& path) {
  Checkpoint c;
  const json& file = field(j, "file", path);
  // A plain file name inside the run directory, never a path out of it.
  if (!file.is_string() || file.get<std::string>().empty() || file.get<std::string>().find('/') != std::string::npos ||
      file.get<std::string>().starts_with("."))
    throw Error(path + "file", "must be a file name inside the run directory, got " + file.dump());
  c.file = file.get<std::string>();
  c.examples = read_count(j, "examples", path);
  c.steps = read_count(j, "steps", path);
  c.epoch = static_cast<int>(std::min<long>(read_count(j, "epoch", path), std::numeric_limits<int>::max()));
  c.train_loss = read_loss(j, "train_loss", path);
  c.test_loss = read_loss(j, "test_loss", path);
  for (const char* key : {"train_accuracy", "test_accuracy"})
    if (j.contains(key)) {
      if (!j[key].is_number()) throw Error(path + key, "must be a number, got " + j[key].dump());
      (std::string(key) == "train_accuracy" ? c.train_accuracy : c.test_accuracy) = j[key].get<double>();
    }
  return c;
}

// Creates `dir` and its parents; refuses one that already holds a run.
void create_run_directory(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error(dir.string(), "cannot create the run directory: " + ec.message());
  if (std::filesystem::exists(dir / kManifestName))
    throw Error(dir.string(), "already holds a run (manifest.json); remove it or choose another directory");
}

}  // namespace

SnapshotStore::SnapshotStore(std::filesystem::path dir, Session& session, ScheduleSpec schedule)
    : dir_(std::move(dir)),
      spec_(session.spec()),
      schedule_(schedule, session.train_set().size()),
      train_size_(session.train_set().size()),
      parameters_(capture_weights(session.network()).size()) {
  create_run_directory(dir_);
}

SnapshotStore::SnapshotStore(Session& session, ScheduleSpec schedule, std::size_t capacity)
    : spec_(session.spec()),
      schedule_(schedule, session.train_set().size()),
      train_size_(session.train_set().size()),
      parameters_(capture_weights(session.network()).size()),
      capacity_(capacity) {
  if (capacity < 2) throw Error("timeline", "an in-memory timeline holds at least 2 checkpoints");
}

const Checkpoint& SnapshotStore::record(Session& session) {
  const Metrics m = session.evaluate();
  Snapshot s;
  s.examples = session.examples_seen();
  s.steps = session.steps();
  s.epoch = session.epoch();
  s.train_loss = m.train_loss;
  s.test_loss = m.test_loss;
  s.weights = capture_weights(session.network());

  Checkpoint c{s.examples, s.steps, s.epoch, s.train_loss, s.test_loss, m.train_accuracy, m.test_accuracy, ""};
  next_ = schedule_.next(s.examples);
  if (in_memory()) {
    if (checkpoints_.size() == capacity_) {
      checkpoints_.pop_back();
      kept_.pop_back();
    }
    kept_.push_back(encode_snapshot(s));
    checkpoints_.push_back(std::move(c));
    return checkpoints_.back();
  }
  c.file = checkpoint_file_name(checkpoints_.size());
  write_snapshot(dir_ / c.file, s);
  checkpoints_.push_back(std::move(c));
  manifest_current_ = false;
  if (std::chrono::steady_clock::now() - manifest_written_ >= std::chrono::seconds(1)) write_manifest();
  return checkpoints_.back();
}

void SnapshotStore::train_epoch(Session& session) {
  const int target = session.epoch() + 1;
  while (session.epoch() < target) {
    session.train_step();
    if (due(session)) record(session);
  }
}

void SnapshotStore::finish(Session& session) {
  if (checkpoints_.empty() || checkpoints_.back().examples != session.examples_seen()) record(session);
  flush();
}

void SnapshotStore::flush() {
  if (!manifest_current_ && !in_memory()) write_manifest();
}

Snapshot SnapshotStore::load(std::size_t index) const {
  if (index >= checkpoints_.size())
    throw Error("timeline", "no checkpoint " + std::to_string(index) + " (the run has " +
                                std::to_string(checkpoints_.size()) + ", numbered from 0)");
  if (in_memory()) return decode_snapshot(kept_[index], "checkpoint " + std::to_string(index));
  return read_snapshot(dir_ / checkpoints_[index].file);
}

void SnapshotStore::save(const std::filesystem::path& dir) const {
  if (!in_memory()) throw Error(dir_.string(), "this timeline is written as it records; there is nothing to save");
  create_run_directory(dir);
  std::vector<Checkpoint> saved = checkpoints_;
  for (std::size_t i = 0; i < saved.size(); ++i) {
    saved[i].file = checkpoint_file_name(i);
    write_file_atomically(dir / saved[i].file, kept_[i]);
  }
  write_file_atomically(dir / kManifestName, manifest(saved));
}

void SnapshotStore::write_manifest() {
  write_file_atomically(dir_ / kManifestName, manifest(checkpoints_));
  manifest_written_ = std::chrono::steady_clock::now();
  manifest_current_ = true;
}

std::string SnapshotStore::manifest(const std::vector<Checkpoint>& checkpoints) const {
  json list = json::array();
  for (const auto& c : checkpoints) list.push_back(checkpoint_json(c));
  const json manifest{{"format", "netlens-run"},
                      {"version", kRunFormatVersion},
                      {"spec", to_json(spec_)},
                      {"schedule", to_json(schedule_.spec())},
                      {"train_size", train_size_},
                      {"classes", num_classes(spec_)},
                      {"parameters", parameters_},
                      {"weights", "float16"},
                      {"checkpoints", list}};
  return manifest.dump(1) + "\n";
}

Timeline Timeline::open(const std::filesystem::path& dir) {
  const std::filesystem::path path = dir / kManifestName;
  if (!std::filesystem::exists(path))
    throw Error(path.string(), "cannot open the run's manifest (is " + dir.string() + " a run directory?)");
  const json j = read_json_file(path.string(), "manifest");
  Timeline t;
  t.dir_ = dir;
  try {
    if (field(j, "format", "") != "netlens-run") throw Error("format", "must be \"netlens-run\"");
    if (field(j, "version", "") != kRunFormatVersion)
      throw Error("version", "run format " + j["version"].dump() + " is not supported (this netlens reads " +
                                 std::to_string(kRunFormatVersion) + ")");
    try {
      t.spec_ = parse_run_spec(field(j, "spec", ""));
    } catch (const Error& e) {
      throw Error("spec", e.what());
    }
    t.schedule_ = parse_schedule(field(j, "schedule", ""), "schedule");
    t.train_size_ = static_cast<int>(std::min<long>(read_count(j, "train_size", ""), std::numeric_limits<int>::max()));
    if (t.train_size_ < 1) throw Error("train_size", "must be at least 1");
    t.parameters_ = static_cast<std::size_t>(read_count(j, "parameters", ""));
    const json& list = field(j, "checkpoints", "");
    if (!list.is_array()) throw Error("checkpoints", "must be an array");
    for (std::size_t i = 0; i < list.size(); ++i)
      t.checkpoints_.push_back(read_checkpoint(list[i], "checkpoints[" + std::to_string(i) + "]."));
  } catch (const Error& e) {
    throw Error(path.string(), e.what());
  }
  return t;
}

Snapshot Timeline::load(std::size_t index) const {
  if (index >= checkpoints_.size())
    throw Error(dir_.string(), "no checkpoint " + std::to_string(index) + " (the run has " +
                                   std::to_string(checkpoints_.size()) + ", numbered from 0)");
  const Checkpoint& c = checkpoints_[index];
  const std::filesystem::path path = dir_ / c.file;
  Snapshot s = read_snapshot(path);
  if (s.weights.size() != parameters_)
    throw Error(path.string(), "holds " + std::to_string(s.weights.size()) + " weights, the manifest says " +
                                   std::to_string(parameters_));
  if (s.examples != c.examples)
    throw Error(path.string(), "was taken after " + std::to_string(s.examples) + " examples, the manifest says " +
                                   std::to_string(c.examples));
  return s;
}

void Timeline::restore(std::size_t index, Session& session) const {
  restore_weights(session.network(), load(index).weights, (dir_ / checkpoints_[index].file).string());
}

}  // namespace netlens::train
