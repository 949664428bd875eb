// The Playground session's timeline: its checkpoints, caps, and the commands that read it.
#include "server/playground/session.hpp"

#include <gtest/gtest.h>

#include "server/playground/playground_fixture.hpp"

namespace netlens::server::playground {
namespace {

std::vector<long> examples_of(const json& timeline) {
  std::vector<long> examples;
  for (const auto& c : timeline["checkpoints"]) examples.push_back(c["examples"].get<long>());
  return examples;
}

TEST(PlaygroundSession, TheTimelineRecordsCheckpointsOnTheDefaultSchedule) {
  Playground p;
  const Recorded* first = p.outbox.wait_for("timeline");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(examples_of(first->json), std::vector<long>{0});  // announced at once
  for (int i = 0; i < 9; ++i) p.send(R"({"type":"step"})");
  ASSERT_NE(p.state([](const json& s) { return epoch(s) == 9; }), nullptr);
  // 250 training points: the schedule's points up to 9 epochs (2,250 examples), each taken at
  // the first step boundary at or past it (batches of 10).
  const json timeline = p.outbox.all("timeline").back();
  EXPECT_EQ(examples_of(timeline), (std::vector<long>{0, 50, 120, 250, 500, 1000, 2000}));
  EXPECT_EQ(timeline["timeline"], 1);
  EXPECT_EQ(timeline["checkpoints"][3]["epoch"], 1);
  EXPECT_EQ(timeline["checkpoints"][3]["index"], 3);
  EXPECT_GT(timeline["checkpoints"][0]["test_loss"].get<double>(), timeline["checkpoints"][6]["test_loss"].get<double>());
}

TEST(PlaygroundSession, ResetAndANewSpecStartNewTimelines) {
  Playground p;
  for (int i = 0; i < 3; ++i) p.send(R"({"type":"step"})");
  p.send(R"({"type":"reset"})");
  ASSERT_NE(p.state([](const json& s) { return s["seq"] >= 4; }), nullptr);
  EXPECT_EQ(p.outbox.all("timeline").back()["timeline"], 2);
  EXPECT_EQ(examples_of(p.outbox.all("timeline").back()), std::vector<long>{0});
  p.send(R"({"type":"set_spec","spec":{"dataset":"xor"}})");
  p.send(R"({"type":"step"})");
  ASSERT_NE(p.state([](const json& s) { return s["seq"] >= 6; }), nullptr);
  EXPECT_EQ(p.outbox.all("timeline").back()["timeline"], 3);
  EXPECT_EQ(examples_of(p.outbox.all("timeline").back()), (std::vector<long>{0, 50, 120, 250}));
}

TEST(PlaygroundSession, TheTimelineIsCappedByCountAndBytes) {
  EXPECT_EQ(PlaygroundSession::timeline_capacity(train::RunSpec{}), kMaxLiveCheckpoints);
  // 2 inputs, 1024, 1024 and 1024 units: 2.1 M weights, 4.2 MB a snapshot.
  const auto wide = train::parse_run_spec(
      json{{"hidden_layers", {{{"units", 1024}}, {{"units", 1024}}, {{"units", 1024}}}}});
  EXPECT_EQ(PlaygroundSession::timeline_capacity(wide), 3u);
  EXPECT_GT(PlaygroundSession::estimate_bytes(wide), 3 * 4'200'000u);
}

// What the connection's thread cannot read is answered at once, with the command when it has a
// "type"; the session changes nothing.

TEST(PlaygroundSession, TimelineCommandsReplyInBinaryOrNameTheBadField) {
  Playground p;
  ASSERT_NE(p.state(), nullptr);
  const auto binary_after = [&](std::size_t from) {
    return p.outbox.wait_for_message([](const Recorded& r) { return r.binary && !r.data().starts_with("NLFR"); }, from);
  };
  std::size_t from = p.outbox.size();
  p.send(R"({"type":"checkpoint","index":0,"mode":"region"})");
  const Recorded* checkpoint = binary_after(from);
  ASSERT_NE(checkpoint, nullptr);
  EXPECT_EQ(checkpoint->data().substr(0, 4), "NLCP");
  from = p.outbox.size();
  p.send(R"({"type":"export_gif","frame_ms":40})");
  const Recorded* gif = binary_after(from);
  ASSERT_NE(gif, nullptr);
  EXPECT_EQ(gif->data().substr(0, 4), "NLGF");
  EXPECT_EQ(p.answer(R"({"type":"checkpoint","index":5})"),  // read, then checked by the session
            error_of("checkpoint", "checkpoint: index: must be 0..0, got 5"));
  const json shading = p.answer(R"({"type":"checkpoint","index":0,"shading":"blur"})");
  EXPECT_EQ(shading["command"], "checkpoint");
  EXPECT_EQ(shading["message"].get<std::string>().rfind("checkpoint.shading: ", 0), 0u) << shading;
  EXPECT_EQ(p.answer(R"({"type":"export_gif","interp_factor":21})"),
            error_of("export_gif", "export_gif.interp_factor: must be an integer 1..20, got 21"));
}

TEST(PlaygroundSession, ANewerCheckpointRequestReplacesOneStillWaiting) {
  Playground p;
  p.send(R"({"type":"step"})");  // checkpoints 0, 50, 120 and 250 examples
  ASSERT_NE(p.state([](const json& s) { return epoch(s) == 1; }), nullptr);
  p.outbox.hold();
  p.send(R"({"type":"set_run","epochs_per_frame":1})");  // changes nothing but sends a frame
  ASSERT_TRUE(p.outbox.wait_until_held());
  p.send(R"({"type":"checkpoint","index":2})");
  p.send(R"({"type":"checkpoint","index":9})");
  EXPECT_EQ(p.session->pending(), 1u);
  const std::size_t from = p.outbox.size();
  p.outbox.release();
  const Recorded* error = p.error(from);
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->json, error_of("checkpoint", "checkpoint: index: must be 0..3, got 9"));
  p.send(R"({"type":"checkpoint","index":3})");
  const Recorded* reply = p.outbox.wait_for_message([](const Recorded& r) { return r.binary && r.data().starts_with("NLCP"); }, from);
  ASSERT_NE(reply, nullptr);
  EXPECT_EQ(u32_at(reply->data(), 8), 3u) << "the replaced request got no answer";
}

}  // namespace
}  // namespace netlens::server::playground
