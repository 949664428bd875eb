#include "server/playground/messages.hpp"

#include <cmath>
#include <cstring>
#include <gtest/gtest.h>
#include <limits>
#include <optional>

#include "core/error.hpp"
#include "server/common/wire.hpp"

namespace netlens::server::playground {
namespace {

using nlohmann::json;

TEST(Messages, FrameHasAHeaderThenOutputsParamsAndUnitCodes) {
  const float output[4] = {0.0f, -1.0f, 0.5f, 0.25f};
  const std::vector<float> params{2.0f, -0.75f};
  const std::uint8_t units[2 * 1] = {0, 255};
  const std::string bytes = encode_frame(0x01020304u, {2, 1, output, 1, 2, units, params});
  ASSERT_EQ(bytes.size(), 28u + 4 * 4 + 2 * 4 + 2);
  EXPECT_EQ(bytes.substr(0, 4), "NLFR");
  const auto u8 = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
  EXPECT_EQ(u8(4), 0x04);  // seq, least significant byte first
  EXPECT_EQ(u8(7), 0x01);
  EXPECT_EQ(u8(8), 2);   // grid
  EXPECT_EQ(u8(12), 1);  // outputs
  EXPECT_EQ(u8(16), 1);  // unit grid
  EXPECT_EQ(u8(20), 2);  // nodes
  EXPECT_EQ(u8(24), 2);  // params
  // output[1] = -1.0f is 0xBF800000, at byte 28 + 4.
  EXPECT_EQ(u8(34), 0x80);
  EXPECT_EQ(u8(35), 0xBF);
  float p1;
  std::memcpy(&p1, bytes.data() + 28 + 16 + 4, 4);
  EXPECT_EQ(p1, -0.75f);
  EXPECT_EQ(u8(28 + 16 + 8), 0);
  EXPECT_EQ(u8(28 + 16 + 9), 255);
}

TEST(Messages, StateHasMetricsAndNullForNonFiniteLoss) {
  const train::Session session{train::RunSpec{}};
  train::Metrics m;
  m.epoch = 42;
  m.train_loss = 0.125;
  m.test_loss = std::numeric_limits<double>::quiet_NaN();
  m.train_accuracy = 0.75;
  m.test_accuracy = 0.5;
  m.confusion = {{3, 1}, {0, 4}};
  const json j = json::parse(state_message(17, true, m, session, RunSettings{}, "epoch limit 10 reached", "all 4 units are dead"));
  EXPECT_EQ(j["type"], "state");
  EXPECT_EQ(j["seq"], 17);
  EXPECT_EQ(j["epoch"], 42);
  EXPECT_EQ(j["running"], true);
  EXPECT_EQ(j["train_loss"], 0.125);
  EXPECT_TRUE(j["test_loss"].is_null());
  EXPECT_EQ(j["train_accuracy"], 0.75);
  EXPECT_EQ(j["test_accuracy"], 0.5);
  EXPECT_EQ(j["confusion"], json({{3, 1}, {0, 4}}));
  EXPECT_EQ(j["pruned"], json({json::array(), json::array()}));  // two hidden layers, none pruned
  EXPECT_EQ(j["dead_links"], 0);  // no L1, no dead links
  EXPECT_EQ(j["epochs_per_frame"], 1);
  EXPECT_EQ(j["stopped"], "epoch limit 10 reached");
  EXPECT_EQ(j["notice"], "all 4 units are dead");

  m.train_accuracy.reset();
  m.test_accuracy.reset();
  m.confusion.clear();
  const json regression = json::parse(state_message(1, false, m, session, RunSettings{}, "", ""));
  EXPECT_FALSE(regression.contains("train_accuracy"));
  EXPECT_FALSE(regression.contains("confusion"));
  EXPECT_FALSE(regression.contains("notice"));
  EXPECT_FALSE(regression.contains("stopped"));
}

TEST(Messages, HelloSaysViewPlaygroundProtocolThreeAndListsDataSetsAndChoices) {
  const json j = json::parse(hello_message());
  EXPECT_EQ(j["type"], "hello");
  EXPECT_EQ(j["view"], "playground");
  EXPECT_EQ(j["protocol"], 3);
  EXPECT_EQ(j["protocol"], kProtocolVersion);
  EXPECT_TRUE(j["version"].is_string());
  ASSERT_TRUE(j["datasets"].is_array());
  EXPECT_EQ(j["datasets"][0]["name"], "circle");
  EXPECT_EQ(j["datasets"][0]["preview"].size(), 200u);
  EXPECT_EQ(j["features"].size(), 7u);
  EXPECT_EQ(j["unit_grid"], 20);
  EXPECT_EQ(j["max_message_bytes"], 1 << 20);
  const auto& x1 = j["feature_maps"]["x1"];
  ASSERT_EQ(x1.size(), 400u);
  EXPECT_EQ(x1[0], 0);     // the left edge: x1 at its most negative
  EXPECT_EQ(x1[19], 255);  // the right edge
  EXPECT_EQ(j["choices"]["optimizer"], json({"sgd", "momentum", "adam"}));
  EXPECT_EQ(j["choices"]["init"], json({"xavier", "playground", "he"}));
  EXPECT_GE(j["choices"]["activation"].size(), 11u);
}

TEST(Messages, AnErrorNamesTheCommandItAnswersAndCarriesTheMessage) {
  EXPECT_EQ(json::parse(error_message("set_param", "set_param.value: \"x\"")),
            json({{"type", "error"}, {"command", "set_param"}, {"message", "set_param.value: \"x\""}}));
  EXPECT_EQ(json::parse(error_message(std::nullopt, "diverged")),
            json({{"type", "error"}, {"command", nullptr}, {"message", "diverged"}}));
}

TEST(Messages, SpecHasTheWholeSpecLayersDomainAndGrids) {
  train::RunSpec spec;
  spec.noise = 10;
  const train::Session session{spec};
  const json j = json::parse(spec_message(session, probe::Domain{}, 100, 20, 3, Upload{"ignored.csv", {}}));
  EXPECT_EQ(j["type"], "spec");
  EXPECT_EQ(j["run"], 3);
  EXPECT_EQ(j["spec"], train::to_json(spec));
  EXPECT_EQ(j["layers"], json::parse(R"([{"in":2,"out":4},{"in":4,"out":2},{"in":2,"out":1}])"));
  EXPECT_EQ(j["classes"], 2);
  EXPECT_EQ(j["domain"], json({{"x_min", -6.0}, {"x_max", 6.0}, {"y_min", -6.0}, {"y_max", 6.0}}));
  EXPECT_EQ(j["grid"], 100);
  EXPECT_EQ(j["unit_grid"], 20);
  EXPECT_TRUE(j["uploaded"].is_null()) << "no points were uploaded";
  EXPECT_TRUE(j["rescaled"].is_null());
  EXPECT_EQ(j["added_points"], 0);
}

TEST(Messages, DataListsEveryPointAsExactFloats) {
  const train::Session session{train::RunSpec{}};
  const json j = json::parse(data_message(session));
  EXPECT_EQ(j["type"], "data");
  EXPECT_EQ(j["problem"], "classification");
  ASSERT_EQ(j["train"].size(), session.train_set().points.size());
  ASSERT_EQ(j["test"].size(), session.test_set().points.size());
  const auto& p = session.test_set().points[3];
  const json& q = j["test"][3];
  ASSERT_EQ(q.size(), 3u);
  EXPECT_EQ(q[0].get<float>(), p.x1);  // shortest form, still exact as float
  EXPECT_EQ(q[1].get<float>(), p.x2);
  EXPECT_EQ(q[2].get<float>(), p.label);
  EXPECT_TRUE(q[2] == 1 || q[2] == -1);
}

TEST(Messages, TheTimelineMessageListsCheckpoints) {
  std::vector<train::Checkpoint> list(2);
  list[1].examples = 250;
  list[1].epoch = 1;
  list[1].train_loss = 0.5;
  list[1].test_loss = std::numeric_limits<double>::quiet_NaN();
  const json j = json::parse(timeline_message(3, 250, list));
  EXPECT_EQ(j["type"], "timeline");
  EXPECT_EQ(j["timeline"], 3);
  EXPECT_EQ(j["train_size"], 250);
  EXPECT_EQ(j["checkpoints"][1], json({{"index", 1}, {"epoch", 1}, {"examples", 250}, {"train_loss", 0.5}, {"test_loss", nullptr}}));
}

TEST(Messages, CheckpointAndGifRepliesHaveTheirLayout) {
  TimelineRequest r;
  r.index = 2;
  r.t = 0.5f;
  const std::string cp = encode_checkpoint(7, r, 16, 16, std::vector<std::uint8_t>(16 * 16 * 4, 9), "NLFR...");
  ASSERT_EQ(cp.size(), 24u + 1024 + 7);
  EXPECT_EQ(cp.substr(0, 4), "NLCP");
  std::uint32_t timeline, index, width;
  float t;
  std::memcpy(&timeline, cp.data() + 4, 4);
  std::memcpy(&index, cp.data() + 8, 4);
  std::memcpy(&t, cp.data() + 12, 4);
  std::memcpy(&width, cp.data() + 16, 4);
  EXPECT_EQ(timeline, 7u);
  EXPECT_EQ(index, 2u);
  EXPECT_EQ(t, 0.5f);
  EXPECT_EQ(width, 16u);
  EXPECT_EQ(cp.substr(24 + 1024), "NLFR...");
  const std::string gif = encode_gif(7, 35, "GIF89a");
  EXPECT_EQ(gif.substr(0, 4), "NLGF");
  EXPECT_EQ(gif.substr(12), "GIF89a");
}

}  // namespace
}  // namespace netlens::server::playground
