#include "server/runs/session.hpp"

#include <gtest/gtest.h>

#include <optional>

#include "server/playground/session.hpp"
#include "server/support/recording_outbox.hpp"
#include "support/scratch.hpp"
#include "train/run_folder.hpp"

namespace netlens::server::runs {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path runs_folder(const std::string& name) {
  const fs::path dir = test::scratch_dir() / ("runs_session_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void record(const fs::path& dir) {
  train::Session session(train::RunSpec{});
  train::SnapshotStore store(dir, session, {train::ScheduleKind::Default, 0});
  store.record(session);
  store.train_epoch(session);
  store.finish(session);
}

// A Runs session as a connection has it, and everything it sent.
struct Runs {
  RecordingOutbox outbox;
  std::optional<RunsSession> session;

  Runs(const fs::path& dir, const LiveRuns& live, std::size_t keep = 200) {
    session.emplace(outbox, dir, live, keep);
    outbox.attach(*session);
  }
  // Sends `message` and returns the next runs list or error that answers it.
  json send(const json& message) {
    const std::size_t from = outbox.size();
    session->receive(message.dump());
    const Recorded* r = outbox.wait_for_message([](const Recorded& m) { return m.is("runs") || m.is("error"); }, from);
    return r ? r->json : json();
  }
  static const json* find(const json& list, const std::string& name) {
    for (const auto& r : list["runs"])
      if (r["name"] == name) return &r;
    return nullptr;
  }
};

TEST(RunsSession, GreetsThenListsSavedAndLiveRuns) {
  const fs::path dir = runs_folder("greet");
  record(dir / "circle-one");
  LiveRuns live;
  auto playground = live.add("playground", "netlens", "spiral");
  playground.update(12, 0.25, "spiral");
  Runs runs(dir, live, 7);
  const Recorded* hello = runs.outbox.wait_for("hello");
  ASSERT_TRUE(hello);
  EXPECT_EQ(hello->json["view"], "runs");
  EXPECT_EQ(hello->json["keep"], 7);
  EXPECT_EQ(hello->json["saving"], true);
  const Recorded* list = runs.outbox.wait_for("runs");
  ASSERT_TRUE(list);
  const json* saved = Runs::find(list->json, "circle-one");
  ASSERT_TRUE(saved);
  EXPECT_EQ((*saved)["status"], "finished");  // recorded by train, not saved automatically
  EXPECT_EQ((*saved)["source"], "netlens");
  EXPECT_EQ((*saved)["step"], 1);
  EXPECT_EQ((*saved)["open"], json::array({"playground", "timeline"}));
  EXPECT_TRUE((*saved)["loss"].is_number());
  const json* tab = Runs::find(list->json, "spiral");
  ASSERT_TRUE(tab);
  EXPECT_EQ((*tab)["status"], "live");
  EXPECT_EQ((*tab)["dir"], false);
  EXPECT_EQ((*tab)["step"], 12);
  EXPECT_EQ((*tab)["open"], json::array());
}

TEST(RunsSession, RenamesStarsAndDeletesAndSaysWhatWentWrong) {
  const fs::path dir = runs_folder("change");
  record(dir / "a");
  record(dir / "b");
  LiveRuns live;
  Runs runs(dir, live);
  ASSERT_TRUE(runs.outbox.wait_for("runs"));

  json list = runs.send({{"type", "rename"}, {"run", "a"}, {"to", "spiral that worked"}});
  EXPECT_TRUE(Runs::find(list, "spiral that worked"));
  EXPECT_FALSE(Runs::find(list, "a"));
  EXPECT_TRUE(fs::exists(dir / "spiral that worked" / train::kManifestName));

  list = runs.send({{"type", "star"}, {"run", "b"}, {"starred", true}});
  EXPECT_EQ((*Runs::find(list, "b"))["starred"], true);
  EXPECT_TRUE(train::read_run_meta(dir / "b").starred);

  json e = runs.send({{"type", "rename"}, {"run", "b"}, {"to", "spiral that worked"}});
  EXPECT_EQ(e["type"], "error");
  EXPECT_EQ(e["command"], "rename");
  EXPECT_EQ(e["message"], "rename: to: a run named 'spiral that worked' already exists");
  e = runs.send({{"type", "rename"}, {"run", "b"}, {"to", "../../etc"}});
  EXPECT_EQ(e["message"], "rename: to: a run name must not contain '/' or '\\', got '../../etc'");
  e = runs.send({{"type", "delete"}, {"run", ".."}});
  EXPECT_EQ(e["message"], "delete: run: a run name must not start with '.', got '..'");
  e = runs.send({{"type", "delete"}, {"run", "gone"}});
  EXPECT_EQ(e["message"], "delete: run: no run named 'gone' (deleted or renamed meanwhile?)");
  e = runs.send({{"type", "star"}, {"run", "b"}});
  EXPECT_EQ(e["message"], "star.starred: is missing");

  list = runs.send({{"type", "delete"}, {"run", "b"}});
  EXPECT_FALSE(Runs::find(list, "b"));
  EXPECT_FALSE(fs::exists(dir / "b"));
  EXPECT_TRUE(fs::exists(dir.parent_path()));
}

TEST(RunsSession, ALiveRunCannotBeDeletedOrRenamed) {
  const fs::path dir = runs_folder("live");
  record(dir / "ingesting");
  LiveRuns live;
  auto writer = live.add("ingest", "ingested", "ingesting");
  writer.set_run("ingesting");
  Runs runs(dir, live);
  const Recorded* list = runs.outbox.wait_for("runs");
  ASSERT_TRUE(list);
  ASSERT_EQ(list->json["runs"].size(), 1u);  // the directory, shown live, not twice
  EXPECT_EQ(list->json["runs"][0]["status"], "live");
  json e = runs.send({{"type", "delete"}, {"run", "ingesting"}});
  EXPECT_EQ(e["message"],
            "delete: run: 'ingesting' is live: a session is recording it, so it cannot be deleted until it finishes");
  e = runs.send({{"type", "rename"}, {"run", "ingesting"}, {"to", "x"}});
  EXPECT_EQ(e["command"], "rename");
  EXPECT_TRUE(fs::exists(dir / "ingesting" / train::kManifestName));
  writer = {};  // the session ends
  json after = runs.send({{"type", "delete"}, {"run", "ingesting"}});
  EXPECT_EQ(after["type"], "runs");
  EXPECT_FALSE(fs::exists(dir / "ingesting"));
}

TEST(RunsSession, AServerThatSavesNoRunsSaysSo) {
  LiveRuns live;
  Runs runs({}, live);
  ASSERT_TRUE(runs.outbox.wait_for("runs"));
  EXPECT_EQ(runs.send({{"type", "delete"}, {"run", "a"}})["message"], "delete: runs: this server saves no runs (serve --runs)");
}

// A Playground tab is live while it lives; its run is saved automatically when it ends, and the
// folder keeps only the newest `keep` automatic saves.
TEST(RunsSession, PlaygroundSessionsAreLiveAndTheirSavesAreKeptToTheLimit) {
  const fs::path dir = runs_folder("retention");
  record(dir / "from-train");
  LiveRuns live;
  for (int i = 0; i < 3; ++i) {
    RecordingOutbox outbox;
    std::optional<playground::PlaygroundSession> tab;
    tab.emplace(outbox, nullptr, playground::RunsFolder{dir, &live, 2});
    outbox.attach(*tab);
    const std::size_t from = outbox.size();
    tab->receive(R"({"type":"step"})");
    ASSERT_TRUE(outbox.wait_for("state", [](const json& s) { return s["epoch"] == 1; }, from));
    ASSERT_EQ(live.list().size(), 1u);
    EXPECT_EQ(live.list()[0].step, 1);
    EXPECT_EQ(live.list()[0].view, "playground");
    tab.reset();  // the tab closes: saved
    EXPECT_TRUE(live.list().empty());
    // Two saves within one second share a name stem; each still gets its own directory.
  }
  const auto list = train::list_runs(dir);
  int automatic = 0;
  for (const auto& r : list) automatic += r.meta.automatic;
  EXPECT_EQ(automatic, 2);
  EXPECT_TRUE(std::any_of(list.begin(), list.end(), [](const auto& r) { return r.name == "from-train"; }));
}

}  // namespace
}  // namespace netlens::server::runs
