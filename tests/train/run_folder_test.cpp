#include "train/run_folder.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "core/error.hpp"
#include "support/error_text.hpp"
#include "support/scratch.hpp"

using namespace netlens;
namespace fs = std::filesystem;

namespace {

// A fresh runs folder per test and process (ctest runs tests in parallel).
fs::path runs_folder(const std::string& name) {
  const fs::path dir = test::scratch_dir() / ("run_folder_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// A real run directory: two epochs of the default Playground run, recorded on disk.
void record(const fs::path& dir, int epochs = 2) {
  train::Session session(train::RunSpec{});
  train::SnapshotStore store(dir, session, {train::ScheduleKind::Default, 0});
  store.record(session);
  while (session.epoch() < epochs) store.train_epoch(session);
  store.finish(session);
}

// A run directory's manifest dated `age_seconds` ago (retention orders by it).
void age(const fs::path& dir, int age_seconds) {
  fs::last_write_time(dir / train::kManifestName, fs::file_time_type::clock::now() - std::chrono::seconds(age_seconds));
}

std::vector<std::string> names(const fs::path& runs_dir) {
  std::vector<std::string> out;
  for (const auto& run : train::list_runs(runs_dir)) out.push_back(run.name);
  return out;
}

}  // namespace

TEST(RunFolder, ListsRunsNewestFirstWithTheirLastCheckpointSourceAndSize) {
  const fs::path runs = runs_folder("list");
  record(runs / "older");
  record(runs / "newer", 3);
  age(runs / "older", 100);
  fs::create_directories(runs / "not-a-run");  // no manifest: not listed
  fs::create_directories(runs / "damaged");
  std::ofstream(runs / "damaged" / train::kManifestName) << "{not json";

  const auto list = train::list_runs(runs);
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list.back().name, "older");
  const auto& newer = *std::find_if(list.begin(), list.end(), [](const auto& r) { return r.name == "newer"; });
  EXPECT_EQ(newer.source, "netlens");  // no "source" in the manifest
  ASSERT_TRUE(newer.last);
  EXPECT_EQ(newer.last->epoch, 3);
  EXPECT_EQ(newer.views, (std::vector<std::string>{"playground", "timeline"}));
  EXPECT_FALSE(newer.meta.starred);
  EXPECT_GT(newer.bytes, 100u);
  EXPECT_EQ(newer.spec["dataset"], "circle");
  const auto& damaged = *std::find_if(list.begin(), list.end(), [](const auto& r) { return r.name == "damaged"; });
  EXPECT_TRUE(damaged.views.empty());
  EXPECT_NE(damaged.problem.find("manifest"), std::string::npos) << damaged.problem;
}

TEST(RunFolder, ReadsTheManifestsSource) {
  const fs::path runs = runs_folder("source");
  record(runs / "ingested");
  std::ifstream in(runs / "ingested" / train::kManifestName);
  auto manifest = nlohmann::json::parse(in);
  manifest["source"] = "ingested";
  std::ofstream(runs / "ingested" / train::kManifestName) << manifest.dump();
  EXPECT_EQ(train::list_runs(runs).at(0).source, "ingested");
}

TEST(RunFolder, RenamesARunAndRefusesAnExistingName) {
  const fs::path runs = runs_folder("rename");
  record(runs / "a");
  record(runs / "b");
  train::rename_run(runs, "a", "my spiral");
  EXPECT_TRUE(fs::exists(runs / "my spiral" / train::kManifestName));
  EXPECT_FALSE(fs::exists(runs / "a"));
  EXPECT_EQ(test::error_text([&] { train::rename_run(runs, "b", "my spiral"); }), "to: a run named 'my spiral' already exists");
  fs::create_directories(runs / "empty");  // rename(2) alone would replace an empty directory
  EXPECT_EQ(test::error_text([&] { train::rename_run(runs, "b", "empty"); }), "to: a run named 'empty' already exists");
  EXPECT_TRUE(fs::exists(runs / "b" / train::kManifestName));
  EXPECT_EQ(test::error_text([&] { train::rename_run(runs, "a", "c"); }),
            "run: no run named 'a' (deleted or renamed meanwhile?)");
}

TEST(RunFolder, NamesCannotReachOutsideTheFolder) {
  const fs::path runs = runs_folder("traversal");
  record(runs / "a");
  const fs::path outside = runs.parent_path() / "run_folder_traversal_victim";
  fs::remove_all(outside);
  record(outside);
  for (const std::string bad : {"..", ".", "../run_folder_traversal_victim", "a/b", "/tmp", "..\\x", ".hidden", ""}) {
    EXPECT_NE(test::error_text([&] { train::delete_run(runs, bad); }), "") << bad;
    EXPECT_NE(test::error_text([&] { train::rename_run(runs, "a", bad); }), "") << bad;
    EXPECT_NE(test::error_text([&] { train::star_run(runs, bad, true); }), "") << bad;
  }
  EXPECT_EQ(test::error_text([&] { train::rename_run(runs, "a", "../escaped"); }),
            "to: a run name must not contain '/' or '\\', got '../escaped'");
  EXPECT_EQ(test::error_text([&] { train::delete_run(runs, ".."); }), "run: a run name must not start with '.', got '..'");
  EXPECT_EQ(test::error_text([&] { train::check_run_name(std::string(200, 'x'), "to"); }),
            "to: a run name must be at most 120 bytes");
  EXPECT_EQ(test::error_text([&] { train::check_run_name("a\nb", "to"); }), "to: a run name must not contain control characters");
  EXPECT_TRUE(fs::exists(outside / train::kManifestName));
  EXPECT_TRUE(fs::exists(runs / "a" / train::kManifestName));
  EXPECT_FALSE(fs::exists(runs.parent_path() / "escaped"));
  fs::remove_all(outside);
}

TEST(RunFolder, StarsAndDeletesARun) {
  const fs::path runs = runs_folder("star");
  record(runs / "keep");
  record(runs / "drop");
  train::star_run(runs, "keep", true);
  EXPECT_TRUE(train::read_run_meta(runs / "keep").starred);
  const auto list = train::list_runs(runs);
  EXPECT_TRUE(std::find_if(list.begin(), list.end(), [](const auto& r) { return r.name == "keep"; })->meta.starred);
  train::star_run(runs, "keep", false);
  EXPECT_FALSE(train::read_run_meta(runs / "keep").starred);

  train::delete_run(runs, "drop");
  EXPECT_FALSE(fs::exists(runs / "drop"));
  EXPECT_EQ(names(runs), std::vector<std::string>{"keep"});
  for (const auto& e : fs::directory_iterator(runs)) EXPECT_EQ(e.path().filename(), "keep");  // nothing left aside
  EXPECT_EQ(test::error_text([&] { train::delete_run(runs, "drop"); }), "run: no run named 'drop' (deleted or renamed meanwhile?)");
}

TEST(RunFolder, AMetaFileThatIsNotBooleansIsRefusedNamingIt) {
  const fs::path runs = runs_folder("meta");
  record(runs / "a");
  std::ofstream(runs / "a" / train::kRunMetaName) << R"({"starred": "yes"})";
  EXPECT_NE(test::error_text([&] { train::read_run_meta(runs / "a"); }).find("meta.json: starred: must be true or false"),
            std::string::npos);
  EXPECT_NE(train::list_runs(runs).at(0).problem, "");  // listed, so it can still be deleted
}

TEST(RunFolder, RetentionRemovesOnlyTheOldestUnstarredAutomaticSaves) {
  const fs::path runs = runs_folder("retention");
  record(runs / "template", 1);
  // Seven automatic saves, auto-0 the newest; a starred one and a `train --run-dir` one, both oldest.
  const auto copy = [&](const std::string& name, int age_seconds, train::RunMeta meta) {
    fs::copy(runs / "template", runs / name);
    train::write_run_meta(runs / name, meta);
    age(runs / name, age_seconds);
  };
  for (int i = 0; i < 7; ++i) copy("auto-" + std::to_string(i), 10 + i, {.starred = false, .automatic = true});
  copy("starred", 100, {.starred = true, .automatic = true});
  copy("cli", 100, {.starred = false, .automatic = false});
  fs::remove_all(runs / "template");

  const auto removed = train::prune_automatic_runs(runs, 3);
  EXPECT_EQ(removed, (std::vector<std::string>{"auto-3", "auto-4", "auto-5", "auto-6"}));
  auto left = names(runs);
  std::sort(left.begin(), left.end());
  EXPECT_EQ(left, (std::vector<std::string>{"auto-0", "auto-1", "auto-2", "cli", "starred"}));
  EXPECT_TRUE(train::prune_automatic_runs(runs, 3).empty());
}

TEST(RunFolder, RetentionKeepsTwoHundredByDefault) {
  const fs::path runs = runs_folder("retention200");
  record(runs / "template", 1);
  for (int i = 0; i < 201; ++i) {
    const fs::path dir = runs / ("auto-" + std::to_string(i));
    fs::create_directories(dir);
    fs::copy_file(runs / "template" / train::kManifestName, dir / train::kManifestName);
    train::write_run_meta(dir, {.starred = false, .automatic = true});
    age(dir, 10 + i);
  }
  EXPECT_EQ(train::prune_automatic_runs(runs, train::kKeptAutomaticRuns), std::vector<std::string>{"auto-200"});
}
