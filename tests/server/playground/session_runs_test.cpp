// The Playground session and the runs folder: saved as it stops, listed, opened again.
#include "server/playground/session.hpp"

#include <gtest/gtest.h>


#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "server/playground/playground_fixture.hpp"
#include "support/scratch.hpp"

namespace netlens::server::playground {
namespace {

TEST(PlaygroundSession, StoppingSavesARunThatTrainedAsARunDirectory) {
  const auto runs = test::scratch_dir() / "live_runs";
  std::filesystem::remove_all(runs);
  {
    Playground untrained(train::RunSpec{}, runs);
    ASSERT_NE(untrained.state(), nullptr);
  }
  EXPECT_FALSE(std::filesystem::exists(runs)) << "a run at epoch 0 has nothing to save";
  for (int session = 0; session < 2; ++session) {
    Playground p(train::parse_run_spec(json{{"dataset", "xor"}}), runs);
    for (int i = 0; i < 7; ++i) p.send(R"({"type":"step"})");
    ASSERT_NE(p.state([](const json& s) { return epoch(s) == 7; }), nullptr);
  }
  // Two sessions ending in the same second get directories of their own.
  std::vector<std::filesystem::path> saved(std::filesystem::directory_iterator(runs), {});
  ASSERT_EQ(saved.size(), 2u);
  std::sort(saved.begin(), saved.end());
  EXPECT_EQ(saved[0].filename().string().rfind("xor-", 0), 0u) << saved[0];
  const auto timeline = train::Timeline::open(saved[0]);
  EXPECT_EQ(timeline.spec().dataset, "xor");
  // 0, 50, 120, 250, 500, 1000 examples, then the end: 7 epochs of 250 points.
  ASSERT_EQ(timeline.size(), 7u);
  EXPECT_EQ(timeline.checkpoints().back().epoch, 7);
  EXPECT_EQ(timeline.checkpoints().back().examples, 1750);
  EXPECT_EQ(timeline.load(6).weights.size(), timeline.parameters());
  std::filesystem::remove_all(runs);
}

TEST(PlaygroundSession, SavedRunsAreListedAndOpenedAtTheirEpochWithTheirWeights) {
  const auto runs = test::scratch_dir() / "open_runs";
  std::filesystem::remove_all(runs);
  double trained_loss = 0;
  {
    Playground p(train::parse_run_spec(json{{"dataset", "xor"}, {"seed", 3}}), runs);
    for (int i = 0; i < 9; ++i) p.send(R"({"type":"step"})");
    const Recorded* s = p.state([](const json& j) { return epoch(j) == 9; });
    ASSERT_NE(s, nullptr);
    trained_loss = s->json["test_loss"].get<double>();
  }
  Playground p(train::RunSpec{}, runs);
  p.send(R"({"type":"list_runs"})");
  const Recorded* listed = p.outbox.wait_for("runs");
  ASSERT_NE(listed, nullptr);
  const json& list = listed->json["runs"];
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["epoch"], 9);
  EXPECT_EQ(list[0]["spec"]["dataset"], "xor");
  EXPECT_EQ(list[0]["spec"]["seed"], 3);
  EXPECT_NEAR(list[0]["saved"].get<double>(), static_cast<double>(std::time(nullptr)), 60);
  const std::string name = list[0]["name"];
  EXPECT_TRUE(name.ends_with("-epoch9")) << name;

  const std::size_t from = p.outbox.size();
  p.send_json(json{{"type", "open_run"}, {"run", name}});
  const Recorded* spec = p.outbox.wait_for("spec", [](const json& j) { return j["spec"]["dataset"] == "xor"; }, from);
  ASSERT_NE(spec, nullptr);
  const Recorded* state = p.state([](const json& j) { return epoch(j) == 9; }, spec->index);
  ASSERT_NE(state, nullptr);
  EXPECT_FALSE(state->json["running"].get<bool>());
  // Float16 weights: the loss agrees closely, not exactly.
  EXPECT_NEAR(state->json["test_loss"].get<double>(), trained_loss, 5e-3);
  p.send(R"({"type":"step"})");
  EXPECT_NE(p.state([](const json& j) { return epoch(j) == 10; }, state->index), nullptr);

  EXPECT_EQ(p.answer(R"({"type":"open_run","run":"../etc"})"),
            error_of("open_run", "open_run: run: must be the name of a saved run, got '../etc'"));
  EXPECT_EQ(p.answer(R"({"type":"open_run","run":"nothing"})"),
            error_of("open_run", "open_run: run: no saved run named 'nothing'"));
  Playground unsaved;
  EXPECT_EQ(unsaved.answer(R"({"type":"open_run","run":"x"})"), error_of("open_run", "open_run: run: this server saves no runs"));

  // A session given the run to open (serve --open-run) starts from it.
  RecordingOutbox outbox;
  std::optional<PlaygroundSession> opened;
  opened.emplace(outbox, nullptr, std::filesystem::path{}, train::RunSpec{}, runs / name);
  outbox.attach(*opened);
  const Recorded* first = outbox.wait_for("state");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(epoch(first->json), 9);
  opened.reset();
  p.stop();
  std::filesystem::remove_all(runs);
}

TEST(PlaygroundSession, ARunThatCannotBeSavedSaysWhyAndLeavesNothingBehind) {
  const auto blocker = test::scratch_dir() / "live_blocker";
  std::ofstream(blocker) << "a file where the runs folder should be\n";
  ::testing::internal::CaptureStderr();
  {
    Playground p(train::RunSpec{}, blocker / "runs");
    p.send(R"({"type":"step"})");
    ASSERT_NE(p.state([](const json& s) { return epoch(s) == 1; }), nullptr);
  }
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("netlens: cannot save the Playground run in progress: "), std::string::npos) << err;
  EXPECT_TRUE(std::filesystem::is_regular_file(blocker));
  std::filesystem::remove(blocker);
}

}  // namespace
}  // namespace netlens::server::playground
