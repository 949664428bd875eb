#include "train/run_folder.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/json.hpp"

namespace netlens::train {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string in_quotes(std::string_view name) { return "'" + excerpt(name) + "'"; }

// A run directory and when its manifest was last written.
struct Found {
  fs::path dir;
  fs::file_time_type when;
};

// Newest first.
std::vector<Found> scan(const fs::path& runs_dir) {
  std::vector<Found> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(runs_dir, ec)) {
    if (entry.path().filename().string().starts_with('.')) continue;
    std::error_code ec2;
    const auto when = fs::last_write_time(entry.path() / kManifestName, ec2);
    if (!ec2) found.push_back({entry.path(), when});
  }
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) { return a.when > b.when; });
  return found;
}

// The file clock's epoch is unspecified (no clock_cast in GCC 12): measured from now.
std::int64_t unix_seconds(fs::file_time_type when) {
  const auto age = fs::file_time_type::clock::now() - when;
  return std::chrono::duration_cast<std::chrono::seconds>((std::chrono::system_clock::now() - age).time_since_epoch())
      .count();
}

std::uintmax_t directory_bytes(const fs::path& dir) {
  std::uintmax_t total = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::error_code ec2;
    if (entry.is_regular_file(ec2)) total += entry.file_size(ec2);
  }
  return total;
}

std::string manifest_source(const json& j, const fs::path& dir) {
  if (!j.is_object() || !j.contains("source")) return "netlens";  // written before sources existed
  const json& s = j["source"];
  if (s == "netlens" || s == "ingested" || s == "imported") return s.get<std::string>();
  throw Error((dir / kManifestName).string(), "source: must be \"netlens\", \"ingested\" or \"imported\"");
}

// rename(2) replaces an empty directory at `to`; RENAME_NOREPLACE refuses any existing name.
void rename_no_replace(const fs::path& from, const fs::path& to, std::string_view to_name) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return;
  const int err = errno;
  if (err == EEXIST || err == ENOTEMPTY) throw Error("to", "a run named " + in_quotes(to_name) + " already exists");
  if (err == ENOENT) throw Error("run", "no run named " + in_quotes(from.filename().string()) + " (deleted or renamed meanwhile?)");
  throw Error(from.string(), std::string("cannot be renamed: ") + std::strerror(err));
}

}  // namespace

RunMeta read_run_meta(const fs::path& dir) {
  const fs::path path = dir / kRunMetaName;
  if (!fs::exists(path)) return {};
  const json j = read_json_file(path.string(), "run meta");
  RunMeta meta;
  const auto flag = [&](const char* key, bool& out) {
    if (!j.is_object()) throw Error(path.string(), "must be a JSON object");
    if (!j.contains(key)) return;
    if (!j[key].is_boolean()) throw Error(path.string(), std::string(key) + ": must be true or false");
    out = j[key].get<bool>();
  };
  flag("starred", meta.starred);
  flag("automatic", meta.automatic);
  return meta;
}

void write_run_meta(const fs::path& dir, const RunMeta& meta) {
  write_file_atomically(dir / kRunMetaName, json{{"starred", meta.starred}, {"automatic", meta.automatic}}.dump(1) + "\n");
}

fs::path claim_run_directory(const fs::path& runs_dir, const std::string& stem) {
  fs::create_directories(runs_dir);
  for (int n = 1; n <= 1000; ++n) {
    auto dir = runs_dir / (n == 1 ? stem : stem + "-" + std::to_string(n));
    if (fs::create_directory(dir)) return dir;
  }
  throw Error(runs_dir.string(), "holds too many runs named " + stem);
}

std::string run_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char when[32];
  std::strftime(when, sizeof when, "%Y%m%d-%H%M%S", &local);
  return when;
}

std::vector<RunEntry> list_runs(const fs::path& runs_dir) {
  std::vector<RunEntry> runs;
  for (const auto& [dir, when] : scan(runs_dir)) {
    RunEntry run;
    run.name = dir.filename().string();
    run.saved = unix_seconds(when);
    run.bytes = directory_bytes(dir);
    try {
      run.meta = read_run_meta(dir);
      const json manifest = read_json_file((dir / kManifestName).string(), "manifest");
      run.source = manifest_source(manifest, dir);
      if (manifest.contains("ingest") && manifest["ingest"].is_object()) run.ingest = manifest["ingest"];
      // An ingested run has a Playground network only when its client sent one (a "spec"); a
      // Digits run ("image") never has one.
      if ((run.ingest.is_null() && !manifest.contains("image")) || manifest.contains("spec")) {
        const auto timeline = Timeline::open(dir);
        run.spec = to_json(timeline.spec());
        if (timeline.size() > 0) run.last = timeline.checkpoints().back();
        if (run.last) run.views = {"playground", "timeline"};
      }
      const bool image = manifest.contains("image") || (run.ingest.is_object() && run.ingest.value("image", false));
      if (image && fs::exists(dir / kRunModelName))
        run.views.insert(run.views.end(), {"digits", "lurk"});
    } catch (const std::exception& e) {
      run.problem = e.what();  // a run being written, damaged, or of a kind this netlens cannot open
    }
    runs.push_back(std::move(run));
  }
  return runs;
}

void check_run_name(std::string_view name, std::string_view what) {
  const std::string where(what);
  if (name.empty()) throw Error(where, "a run name must not be empty");
  if (name.size() > kMaxRunNameBytes)
    throw Error(where, "a run name must be at most " + std::to_string(kMaxRunNameBytes) + " bytes");
  if (name.find('/') != std::string_view::npos || name.find('\\') != std::string_view::npos)
    throw Error(where, "a run name must not contain '/' or '\\', got " + in_quotes(name));
  if (name.front() == '.') throw Error(where, "a run name must not start with '.', got " + in_quotes(name));
  if (std::any_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
    throw Error(where, "a run name must not contain control characters");
}

fs::path existing_run(const fs::path& runs_dir, std::string_view name) {
  check_run_name(name, "run");
  fs::path dir = runs_dir / fs::path(name);
  std::error_code ec;
  if (!fs::is_directory(dir, ec) || !fs::exists(dir / kManifestName, ec))
    throw Error("run", "no run named " + in_quotes(name) + " (deleted or renamed meanwhile?)");
  return dir;
}

void rename_run(const fs::path& runs_dir, std::string_view from, std::string_view to) {
  const fs::path dir = existing_run(runs_dir, from);
  check_run_name(to, "to");
  if (from == to) return;
  rename_no_replace(dir, runs_dir / fs::path(to), to);
}

void star_run(const fs::path& runs_dir, std::string_view name, bool starred) {
  const fs::path dir = existing_run(runs_dir, name);
  RunMeta meta = read_run_meta(dir);
  meta.starred = starred;
  write_run_meta(dir, meta);
}

void delete_run(const fs::path& runs_dir, std::string_view name) {
  const fs::path dir = existing_run(runs_dir, name);
  static std::atomic<unsigned> counter{0};
  const fs::path hidden = runs_dir / (".deleting-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  rename_no_replace(dir, hidden, hidden.filename().string());
  std::error_code ec;
  fs::remove_all(hidden, ec);
  if (ec) throw Error(std::string(name), "moved aside as " + hidden.string() + " but not removed: " + ec.message());
}

std::vector<std::string> prune_automatic_runs(const fs::path& runs_dir, std::size_t keep) {
  std::vector<std::string> removed;
  std::size_t kept = 0;
  for (const auto& [dir, when] : scan(runs_dir)) {
    RunMeta meta;
    try {
      meta = read_run_meta(dir);
    } catch (const Error&) {
      continue;  // unreadable meta: not known to be automatic, so kept
    }
    if (!meta.automatic || meta.starred) continue;
    if (kept < keep) {
      ++kept;
      continue;
    }
    const std::string name = dir.filename().string();
    try {
      delete_run(runs_dir, name);
      removed.push_back(name);
    } catch (const Error&) {
      // renamed or deleted meanwhile: nothing to remove
    }
  }
  return removed;
}

}  // namespace netlens::train
