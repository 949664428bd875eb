#pragma once
// The runs folder (`serve --runs`): one run directory per run (docs/run-format.md), listed,
// renamed, starred and deleted by name, and the retention of the Playground's automatic saves.
// A run's name is its directory's name; every name that comes from outside goes through
// check_run_name, so no name can reach past the folder ("..", "a/b", ".hidden").
// Each run directory may hold `meta.json` beside its manifest: what netlens says about the run
// (starred, saved automatically), written atomically; the manifest itself is never rewritten.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "train/timeline.hpp"

namespace netlens::train {

inline constexpr const char* kRunMetaName = "meta.json";
inline constexpr std::size_t kKeptAutomaticRuns = 200;  // the Playground's saves kept, unstarred
inline constexpr std::size_t kMaxRunNameBytes = 120;
// An image model's run (an ingested one, server/ingest/image_run): the network at its newest
// weights, and its checkpoints in train::ImageTimeline's format, as Digits and Lurk open them.
inline constexpr const char* kRunModelName = "model.nlmodel";
inline constexpr const char* kRunCheckpointsName = "model.checkpoints";

struct RunMeta {
  bool starred = false;
  bool automatic = false;  // saved by a view's session, not asked for (retention may remove it)
};

// DIR/meta.json; a missing file gives the defaults. Throws Error naming the file when it is not
// a JSON object of those booleans.
RunMeta read_run_meta(const std::filesystem::path& dir);
void write_run_meta(const std::filesystem::path& dir, const RunMeta& meta);

// A new run directory under `runs_dir` named `stem`, or stem-2, stem-3, ...: claimed by creating
// it, so two sessions that save at once never share one.
std::filesystem::path claim_run_directory(const std::filesystem::path& runs_dir, const std::string& stem);
// Now in local time as run names carry it: "20261123-164005".
std::string run_timestamp();

// One run directory as the Runs page lists it.
struct RunEntry {
  std::string name;
  std::string source = "netlens";  // the manifest's "source": "netlens" | "ingested" | "imported"
  RunMeta meta;
  std::int64_t saved = 0;          // the manifest's last write, seconds since 1970
  std::uintmax_t bytes = 0;        // the files in the directory
  std::optional<Checkpoint> last;  // its newest checkpoint, when it has one
  nlohmann::json spec;             // the run spec (a netlens-run manifest), else null
  nlohmann::json ingest;           // an ingested run's manifest "ingest" (status, step, dropped, ...), else null
  // The views that show it: "playground" and "timeline" for a run of a Playground network with
  // checkpoints, "digits" and "lurk" for a run of an image model (kRunModelName): one streamed
  // in, or one the Digits view trained (its manifest's "image").
  std::vector<std::string> views;
  std::string problem;             // why the manifest cannot be read ("" when it can)
};

// Every directory under `runs_dir` holding a manifest.json, newest first (a missing folder: none).
// Names starting with '.' are left out (a run being deleted). A manifest that cannot be read is
// listed with its `problem`, so it can still be deleted.
std::vector<RunEntry> list_runs(const std::filesystem::path& runs_dir);

// Throws Error("<what>: ...") unless `name` can name a run directory: 1..kMaxRunNameBytes bytes,
// no '/', '\\' or control characters, not starting with '.' (so neither "." nor "..").
void check_run_name(std::string_view name, std::string_view what);
// runs_dir / name for a run that exists (checked name; Error "no run named 'X'" otherwise).
std::filesystem::path existing_run(const std::filesystem::path& runs_dir, std::string_view name);

// Each throws Error with a sentence for the page; nothing changes then.
void rename_run(const std::filesystem::path& runs_dir, std::string_view from, std::string_view to);
void star_run(const std::filesystem::path& runs_dir, std::string_view name, bool starred);
// Moved out of sight first (a hidden name), then removed, so no listing sees half a run.
void delete_run(const std::filesystem::path& runs_dir, std::string_view name);

// Removes the oldest automatic, unstarred runs past the newest `keep` of them; returns their names.
// Runs not saved automatically (train --run-dir, ingested, imported) and starred ones are kept.
std::vector<std::string> prune_automatic_runs(const std::filesystem::path& runs_dir, std::size_t keep);

}  // namespace netlens::train
