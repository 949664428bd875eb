#include "server/ingest/run_writer.hpp"

#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

#include "core/json.hpp"
#include "server/ingest/record_builders.hpp"
#include "support/scratch.hpp"
#include "train/session.hpp"
#include "train/timeline.hpp"

namespace {

using namespace netlens::server::ingest;
using namespace ingest_test;
namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) {
  const fs::path dir = netlens::test::scratch_dir() / ("ingest_" + name);
  fs::remove_all(dir);
  return dir;
}

std::string file_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

json manifest_of(const fs::path& dir) { return netlens::read_json_file((dir / "manifest.json").string(), "manifest"); }

TEST(IngestRun, AHelloMakesARunDirectoryMarkedIngested) {
  const fs::path dir = fresh_dir("hello");
  const std::string body = hello("h", 0, 2);  // the records point into it
  const auto records = parse_records(body);
  IngestRun run(dir, &records[0].meta);
  run.apply(records[0]);
  run.flush();
  const json m = manifest_of(dir);
  EXPECT_EQ(m["format"], "netlens-run");
  EXPECT_EQ(m["source"], "ingested");
  EXPECT_EQ(m["ingest"]["world_size"], 2);
  EXPECT_EQ(m["ingest"]["status"], "live");
  EXPECT_EQ(m["ingest"]["config"]["lr"], 0.1);
  EXPECT_EQ(file_text(dir / "records.nlrec"), hello("h", 0, 2));
}

TEST(IngestRun, APlaygroundModelsSnapshotsOpenAsATimeline) {
  const fs::path dir = fresh_dir("timeline");
  const auto first = parse_records(hello("t", 0));
  IngestRun run(dir, &first[0].meta);
  apply_all(run, hello("t", 0) + model("t", 1) + scalar("t", 2, 0, 0.7) + snapshot("t", 3, 0, 0.0f) + scalar("t", 4, 10, 0.4) +
                     snapshot("t", 5, 10, 1.0f));
  const auto timeline = netlens::train::Timeline::open(dir);
  ASSERT_EQ(timeline.size(), 2u);
  EXPECT_EQ(timeline.spec().dataset, "spiral");
  EXPECT_EQ(timeline.checkpoints()[1].steps, 10);
  // At the page's epoch 10 on the Timeline: 10 times the training set.
  EXPECT_EQ(timeline.checkpoints()[1].examples, 10 * manifest_of(dir)["train_size"].get<long>());
  EXPECT_GT(timeline.checkpoints()[1].examples, 10);
  EXPECT_NEAR(timeline.checkpoints()[1].train_loss, 0.4, 1e-12);
  netlens::train::Session session(timeline.spec());
  timeline.restore(1, session);
  // Network::params() order: the first weight matrix is inputs x units, torch's transposed.
  const auto weights = netlens::train::capture_weights(session.network());
  ASSERT_EQ(weights.size(), 13u);
  EXPECT_NEAR(weights[0], 1.00f, 1e-3);  // torch w[0][0]
  EXPECT_NEAR(weights[1], 1.02f, 1e-3);  // torch w[1][0]
  EXPECT_NEAR(weights[3], 1.01f, 1e-3);  // torch w[0][1]
  EXPECT_NEAR(weights[6], 1.06f, 1e-3);  // the first bias
}

TEST(IngestRun, DuplicatesAreDroppedAndGapsCounted) {
  const fs::path dir = fresh_dir("dups");
  const auto first = parse_records(hello("d", 0));
  IngestRun run(dir, &first[0].meta);
  const std::string body = hello("d", 0) + scalar("d", 1, 1, 1.0) + scalar("d", 1, 1, 1.0) + scalar("d", 4, 2, 0.5);
  const auto records = parse_records(body);
  EXPECT_EQ(run.apply(records[0]), Applied::Accepted);
  EXPECT_EQ(run.apply(records[1]), Applied::Accepted);
  EXPECT_EQ(run.apply(records[2]), Applied::Duplicate);
  EXPECT_EQ(run.apply(records[3]), Applied::Accepted);
  run.flush();
  const json m = manifest_of(dir);
  EXPECT_EQ(m["ingest"]["duplicates"], 1);
  EXPECT_EQ(m["ingest"]["gaps"], 2);
  EXPECT_EQ(m["ingest"]["next_seq"], 5);
  EXPECT_EQ(m["ingest"]["last_loss"], 0.5);
  EXPECT_EQ(m["ingest"]["step"], 2);
}

TEST(IngestRun, UnknownKindsAreSkippedAndCounted) {
  const fs::path dir = fresh_dir("unknown");
  const auto first = parse_records(hello("u", 0));
  IngestRun run(dir, &first[0].meta);
  const std::string body = hello("u", 0) + encode_record(42, {{"run", "u"}, {"seq", 1}});
  const auto records = parse_records(body);
  run.apply(records[0]);
  EXPECT_EQ(run.apply(records[1]), Applied::Skipped);
  run.flush();
  EXPECT_EQ(manifest_of(dir)["ingest"]["skipped"], 1);
}

TEST(IngestRun, AReopenedRunGoesOnWhereItStopped) {
  const fs::path dir = fresh_dir("reopen");
  {
    const auto first = parse_records(hello("r", 0));
    IngestRun run(dir, &first[0].meta);
    apply_all(run, hello("r", 0) + model("r", 1) + snapshot("r", 2, 0, 0.0f));
  }  // the server stops
  IngestRun again(dir, nullptr);
  EXPECT_EQ(again.next_seq(), 3);
  apply_all(again, snapshot("r", 2, 0, 0.0f) + snapshot("r", 3, 5, 0.5f) + goodbye("r", 4));
  const auto timeline = netlens::train::Timeline::open(dir);
  EXPECT_EQ(timeline.size(), 2u);
  EXPECT_EQ(manifest_of(dir)["ingest"]["status"], "finished");
  EXPECT_EQ(file_text(dir / "records.nlrec"),
            hello("r", 0) + model("r", 1) + snapshot("r", 2, 0, 0.0f) +
                snapshot("r", 3, 5, 0.5f) + goodbye("r", 4));
}

TEST(IngestRun, RefusesToWriteIntoARunOfNetlenssOwn) {
  const fs::path dir = fresh_dir("own");
  fs::create_directories(dir);
  std::ofstream(dir / "manifest.json") << R"({"format":"netlens-run","version":1})";
  const auto first = parse_records(hello("own", 0));
  EXPECT_THROW(IngestRun(dir, &first[0].meta), netlens::Error);
}

TEST(IngestRun, AnUnknownRunNeedsItsHello) { EXPECT_THROW(IngestRun(fresh_dir("nohello"), nullptr), netlens::Error); }

TEST(IngestRun, ASnapshotOfTheWrongShapeIsRefusedAndTheRunKeepsItsState) {
  const fs::path dir = fresh_dir("shape");
  const auto first = parse_records(hello("s", 0));
  IngestRun run(dir, &first[0].meta);
  apply_all(run, hello("s", 0) + model("s", 1, {{"dataset", "spiral"}, {"hidden_layers", {{{"units", 4}}}}}));
  const std::string body = snapshot("s", 2, 0, 0.0f);
  const auto bad = parse_records(body);
  try {
    run.apply(bad[0]);
    FAIL();
  } catch (const netlens::Error& e) {
    EXPECT_NE(std::string(e.what()).find("layer 0 needs a weight [4, 2]"), std::string::npos) << e.what();
  }
  EXPECT_EQ(run.next_seq(), 2);
  EXPECT_EQ(run.manifest()["ingest"]["snapshots"], 0);
}

TEST(IngestRun, RunNames) {
  EXPECT_TRUE(valid_run_name("wide-1000_spiral.v2"));
  EXPECT_FALSE(valid_run_name(""));
  EXPECT_FALSE(valid_run_name(".."));
  EXPECT_FALSE(valid_run_name("a/b"));
  EXPECT_FALSE(valid_run_name(std::string(65, 'a')));
}

}  // namespace
