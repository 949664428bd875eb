#include "train/timeline.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "support/error_text.hpp"
#include "support/scratch.hpp"

using namespace netlens;
namespace fs = std::filesystem;

namespace {

// A fresh directory per test and process (ctest runs tests in parallel).
fs::path temp_dir(const std::string& name) {
  const fs::path dir = test::scratch_dir() / ("timeline_" + name);
  fs::remove_all(dir);
  return dir;
}

// Trains `epochs` epochs, recording at 0, at each schedule point and at the end.
void record_run(train::Session& session, train::SnapshotStore& store, int epochs) {
  store.record(session);
  while (session.epoch() < epochs) store.train_epoch(session);
  store.finish(session);
}

}  // namespace

TEST(Timeline, RecordsOnTheScheduleAndReopensFromTheManifest) {
  const fs::path dir = temp_dir("reopen");
  train::Session session(train::RunSpec{});  // 250 training points
  train::SnapshotStore store(dir, session, {train::ScheduleKind::Default, 0});
  record_run(session, store, 10);
  // 0, 50, 120, 250, 500, 1000, 2000 examples, and the end (2500).
  const std::vector<long> expected{0, 50, 120, 250, 500, 1000, 2000, 2500};
  ASSERT_EQ(store.checkpoints().size(), expected.size());

  const auto timeline = train::Timeline::open(dir);
  ASSERT_EQ(timeline.size(), expected.size());
  EXPECT_EQ(timeline.train_size(), 250);
  EXPECT_EQ(timeline.parameters(), 25u);  // 2-4-2-1: 12 + 10 + 3
  EXPECT_EQ(timeline.spec().dataset, "circle");
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(timeline.checkpoints()[i].examples, expected[i]);
    EXPECT_EQ(timeline.checkpoints()[i].file, store.checkpoints()[i].file);
    EXPECT_EQ(timeline.checkpoints()[i].test_loss, store.checkpoints()[i].test_loss);
  }
  EXPECT_EQ(timeline.checkpoints()[3].epoch, 1);
  EXPECT_TRUE(timeline.checkpoints()[3].test_accuracy.has_value());
}

TEST(Timeline, RestoringTheLastCheckpointGivesTheTrainedNetworkToFloat16) {
  const fs::path dir = temp_dir("restore");
  train::Session session(train::RunSpec{});
  train::SnapshotStore store(dir, session, {train::ScheduleKind::Epochs, 5});
  record_run(session, store, 20);
  const auto trained = train::capture_weights(session.network());
  const double trained_loss = session.evaluate().test_loss;

  const auto timeline = train::Timeline::open(dir);
  EXPECT_EQ(timeline.size(), 5u);  // epochs 0, 5, 10, 15, 20
  train::Session fresh(timeline.spec());
  timeline.restore(timeline.size() - 1, fresh);
  const auto restored = train::capture_weights(fresh.network());
  ASSERT_EQ(restored.size(), trained.size());
  for (std::size_t i = 0; i < trained.size(); ++i)
    EXPECT_NEAR(restored[i], trained[i], 1e-3 * std::abs(trained[i]) + 1e-7) << i;
  EXPECT_NEAR(fresh.evaluate().test_loss, trained_loss, 0.01 * trained_loss);
}

TEST(Timeline, OpeningReadsOnlyTheManifest) {
  const fs::path dir = temp_dir("lazy");
  train::Session session(train::RunSpec{});
  train::SnapshotStore store(dir, session, {train::ScheduleKind::Epochs, 1});
  record_run(session, store, 50);
  for (const auto& c : store.checkpoints()) fs::remove(dir / c.file);
  const auto timeline = train::Timeline::open(dir);  // no snapshot file is needed to list the run
  EXPECT_EQ(timeline.size(), 51u);
  EXPECT_EQ(timeline.checkpoints().back().epoch, 50);
  EXPECT_THROW(timeline.load(0), Error);
}

TEST(Timeline, FinishRecordsTheEndOnce) {
  const fs::path dir = temp_dir("finish");
  train::Session session(train::RunSpec{});
  train::SnapshotStore store(dir, session, {train::ScheduleKind::Epochs, 2});
  record_run(session, store, 4);  // 0, 2 and 4 epochs: the end is already a point
  EXPECT_EQ(store.checkpoints().size(), 3u);
  store.finish(session);
  EXPECT_EQ(store.checkpoints().size(), 3u);
  session.train_step();
  store.finish(session);
  EXPECT_EQ(store.checkpoints().size(), 4u);
  EXPECT_EQ(train::Timeline::open(dir).size(), 4u);
}

TEST(Timeline, ACorruptOrTruncatedSnapshotIsRefusedNamingTheFile) {
  const fs::path dir = temp_dir("corrupt");
  train::Session session(train::RunSpec{});
  train::SnapshotStore store(dir, session, {train::ScheduleKind::Default, 0});
  record_run(session, store, 1);
  const auto timeline = train::Timeline::open(dir);
  const fs::path file = dir / timeline.checkpoints()[2].file;
  fs::resize_file(file, fs::file_size(file) - 4);
  EXPECT_EQ(test::error_text([&] { timeline.load(2); }).rfind(file.string() + ": truncated snapshot", 0), 0u);
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << "garbage, not a snapshot at all, but long enough for a header ........";
  }
  EXPECT_EQ(test::error_text([&] { timeline.load(2); }), file.string() + ": not a netlens snapshot (no NLSN magic)");
  fs::remove(file);
  EXPECT_EQ(test::error_text([&] { timeline.load(2); }), file.string() + ": cannot open snapshot file");
  EXPECT_NO_THROW(timeline.load(1));  // the others still load
  EXPECT_EQ(test::error_text([&] { timeline.load(99); }),
            dir.string() + ": no checkpoint 99 (the run has " + std::to_string(timeline.size()) + ", numbered from 0)");
}

TEST(Timeline, ASnapshotSwappedForAnotherIsNoticed) {
  const fs::path dir = temp_dir("swapped");
  train::Session session(train::RunSpec{});
  train::SnapshotStore store(dir, session, {train::ScheduleKind::Default, 0});
  record_run(session, store, 1);
  fs::copy_file(dir / "checkpoint-00001.bin", dir / "checkpoint-00002.bin", fs::copy_options::overwrite_existing);
  EXPECT_EQ(test::error_text([&] { train::Timeline::open(dir).load(2); }),
            (dir / "checkpoint-00002.bin").string() + ": was taken after 50 examples, the manifest says 120");
}

TEST(Timeline, ABadManifestNamesTheFileAndField) {
  const fs::path dir = temp_dir("manifest");
  train::Session session(train::RunSpec{});
  {
    train::SnapshotStore store(dir, session, {train::ScheduleKind::Default, 0});
    record_run(session, store, 1);
  }
  const fs::path manifest = dir / "manifest.json";
  std::ifstream in(manifest);
  const auto good = nlohmann::json::parse(in);
  auto write = [&](const nlohmann::json& j) { std::ofstream(manifest, std::ios::trunc) << j.dump(); };

  auto escape = good;
  escape["checkpoints"][1]["file"] = "../../etc/passwd";
  write(escape);
  EXPECT_EQ(test::error_text([&] { train::Timeline::open(dir); }),
            manifest.string() + ": checkpoints[1].file: must be a file name inside the run directory, got "
                                "\"../../etc/passwd\"");
  auto missing = good;
  missing["checkpoints"][0].erase("examples");
  write(missing);
  EXPECT_EQ(test::error_text([&] { train::Timeline::open(dir); }), manifest.string() + ": checkpoints[0].examples: is missing");
  auto version = good;
  version["version"] = 2;
  write(version);
  EXPECT_EQ(test::error_text([&] { train::Timeline::open(dir); }),
            manifest.string() + ": version: run format 2 is not supported (this netlens reads 1)");
  std::ofstream(manifest, std::ios::trunc) << "{\"format\": ";
  EXPECT_EQ(test::error_text([&] { train::Timeline::open(dir); }).rfind(manifest.string() + ": not JSON: ", 0), 0u);
  EXPECT_EQ(test::error_text([&] { train::Timeline::open(dir / "nowhere"); }),
            (dir / "nowhere" / "manifest.json").string() + ": cannot open the run's manifest (is " +
                (dir / "nowhere").string() + " a run directory?)");
}

TEST(Timeline, ADirectoryThatHoldsARunIsNotOverwritten) {
  const fs::path dir = temp_dir("existing");
  train::Session session(train::RunSpec{});
  {
    train::SnapshotStore store(dir, session, {train::ScheduleKind::Default, 0});
    store.record(session);
    store.flush();
  }
  EXPECT_EQ(test::error_text([&] { train::SnapshotStore(dir, session, {train::ScheduleKind::Default, 0}); }),
            dir.string() + ": already holds a run (manifest.json); remove it or choose another directory");
}

TEST(Timeline, ADivergedRunRecordsNullLossesAndReopens) {
  const fs::path dir = temp_dir("diverged");
  train::Session session(train::parse_run_spec(nlohmann::json{{"dataset", "plane"}, {"learning_rate", 10}}));
  train::SnapshotStore store(dir, session, {train::ScheduleKind::Epochs, 1});
  record_run(session, store, 5);
  const auto timeline = train::Timeline::open(dir);
  EXPECT_TRUE(std::isnan(timeline.checkpoints().back().train_loss));
}

TEST(Timeline, AnInMemoryStoreKeepsWhatTheDiskOneWrites) {
  const fs::path dir = temp_dir("memory");
  train::Session on_disk(train::RunSpec{}), in_memory(train::RunSpec{});
  train::SnapshotStore disk(dir, on_disk, {train::ScheduleKind::Default, 0});
  train::SnapshotStore memory(in_memory, {train::ScheduleKind::Default, 0}, 64);
  record_run(on_disk, disk, 10);
  record_run(in_memory, memory, 10);
  EXPECT_TRUE(memory.in_memory());
  const auto timeline = train::Timeline::open(dir);
  ASSERT_EQ(memory.checkpoints().size(), timeline.size());
  for (std::size_t i = 0; i < timeline.size(); ++i) {
    EXPECT_EQ(memory.checkpoints()[i].examples, timeline.checkpoints()[i].examples);
    EXPECT_EQ(memory.checkpoints()[i].file, "");
    EXPECT_EQ(memory.load(i).weights, timeline.load(i).weights) << "checkpoint " << i;  // float16, as on disk
  }
  EXPECT_EQ(test::error_text([&] { memory.load(timeline.size()); }), "timeline: no checkpoint 8 (the run has 8, numbered from 0)");
  fs::remove_all(dir);
}

TEST(Timeline, AFullInMemoryStoreReplacesItsLastCheckpoint) {
  train::Session session(train::RunSpec{});
  train::SnapshotStore store(session, {train::ScheduleKind::Default, 0}, 4);
  store.record(session);
  for (int e = 0; e < 10; ++e) store.train_epoch(session);
  // 0, 50, 120 kept; the fourth slot holds the newest point, 2000 (after 250, 500, 1000).
  ASSERT_EQ(store.checkpoints().size(), 4u);
  EXPECT_EQ(store.checkpoints()[2].examples, 120);
  EXPECT_EQ(store.checkpoints()[3].examples, 2000);
  EXPECT_EQ(store.load(3).examples, 2000);
  EXPECT_EQ(test::error_text([&] { train::SnapshotStore(session, {train::ScheduleKind::Default, 0}, 1); }),
            "timeline: an in-memory timeline holds at least 2 checkpoints");
}

TEST(Timeline, AnInMemoryStoreSavesTheRunDirectoryTheDiskOneWrites) {
  const fs::path on_disk_dir = temp_dir("written"), saved_dir = temp_dir("saved") / "runs" / "one";
  train::Session on_disk(train::RunSpec{}), in_memory(train::RunSpec{});
  train::SnapshotStore disk(on_disk_dir, on_disk, {train::ScheduleKind::Default, 0});
  train::SnapshotStore memory(in_memory, {train::ScheduleKind::Default, 0}, 64);
  record_run(on_disk, disk, 10);
  record_run(in_memory, memory, 10);
  memory.save(saved_dir);
  const auto written = train::Timeline::open(on_disk_dir), saved = train::Timeline::open(saved_dir);
  EXPECT_EQ(saved.spec().dataset, written.spec().dataset);
  EXPECT_EQ(saved.parameters(), written.parameters());
  ASSERT_EQ(saved.size(), written.size());
  for (std::size_t i = 0; i < saved.size(); ++i) {
    EXPECT_EQ(saved.checkpoints()[i].file, written.checkpoints()[i].file);
    EXPECT_EQ(saved.checkpoints()[i].test_loss, written.checkpoints()[i].test_loss);
    EXPECT_EQ(saved.load(i).weights, written.load(i).weights) << "checkpoint " << i;
  }
  EXPECT_NE(test::error_text([&] { memory.save(saved_dir); }).find("already holds a run"), std::string::npos);
  EXPECT_NE(test::error_text([&] { disk.save(saved_dir); }).find("written as it records"), std::string::npos);
  fs::remove_all(on_disk_dir);
  fs::remove_all(saved_dir.parent_path().parent_path());
}
