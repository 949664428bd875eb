#include "server/playground/messages.hpp"

#include <cmath>
#include <cstring>
#include <gtest/gtest.h>
#include <limits>

#include "core/error.hpp"

namespace netlens::server {
namespace {

using nlohmann::json;

// The message of the Error that parse_command throws for `text`, or "" if it throws none.
std::string refusal(std::string_view text) {
  try {
    parse_command(text);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(Protocol, ParsesEachCommandType) {
  EXPECT_EQ(parse_command(R"({"type":"play"})").type, CommandType::Play);
  EXPECT_EQ(parse_command(R"({"type":"pause"})").type, CommandType::Pause);
  EXPECT_EQ(parse_command(R"({"type":"step"})").type, CommandType::Step);
  EXPECT_EQ(parse_command(R"({"type":"reset"})").type, CommandType::Reset);
  EXPECT_EQ(parse_command(R"({"type":"play","extra":[1,2]})").type, CommandType::Play);  // extra fields ignored
}

TEST(Protocol, SetSpecCarriesItsSpecObject) {
  const Command c = parse_command(R"({"type":"set_spec","spec":{"dataset":"xor","noise":10}})");
  EXPECT_EQ(c.type, CommandType::SetSpec);
  EXPECT_EQ(c.spec, json({{"dataset", "xor"}, {"noise", 10}}));
}

TEST(Protocol, MalformedJsonIsRefused) {
  const std::string why = refusal("not json");
  EXPECT_NE(why.find("not JSON"), std::string::npos) << why;
  EXPECT_NE(why.find("line 1"), std::string::npos) << why;  // says where
  EXPECT_NE(refusal(R"({"type":"play")").find("not JSON"), std::string::npos);
}

// A number too large for a double is not a syntax error to nlohmann/json but an out_of_range
// exception; it must be refused like bad JSON, not escape and end the server (found by fuzzing).
TEST(Protocol, ANumberTooLargeIsRefusedAsBadJson) {
  EXPECT_EQ(refusal(R"({"type":"play","n":1e999})"), "message: not JSON: number overflow parsing '1e999'");
}

TEST(Protocol, MessageMustBeAnObject) {
  EXPECT_EQ(refusal(R"(["play"])"), "message: must be a JSON object, got an array");
  EXPECT_EQ(refusal("42"), "message: must be a JSON object, got a number");
}

TEST(Protocol, MissingTypeIsRefused) {
  EXPECT_EQ(refusal(R"({"spec":{}})"), "type: missing; every message needs a string \"type\"");
}

TEST(Protocol, TypeMustBeAString) {
  EXPECT_EQ(refusal(R"({"type":3})"), "type: must be a string, got a number");
  EXPECT_EQ(refusal(R"({"type":null})"), "type: must be a string, got null");
}

TEST(Protocol, UnknownTypeIsRefusedNamingItAndTheKnownOnes) {
  EXPECT_EQ(refusal(R"({"type":"warp"})"),
            "type: unknown type 'warp' (known: play, pause, step, reset, set_spec, set_run, set_param, add_point, "
            "upload_csv, prune, export, import, checkpoint, export_gif)");
}

TEST(Protocol, CommandsCarryTheirCheckedFields) {
  Command c = parse_command(R"({"type":"set_param","layer":1,"unit":2,"input":0,"value":-0.5})");
  EXPECT_EQ(c.type, CommandType::SetParam);
  EXPECT_EQ(c.layer, 1);
  EXPECT_EQ(c.unit, 2);
  EXPECT_EQ(c.input, 0);
  EXPECT_EQ(c.value, -0.5f);
  EXPECT_EQ(parse_command(R"({"type":"set_param","layer":0,"unit":0,"value":1})").input, -1);  // the bias
  c = parse_command(R"({"type":"add_point","x1":1.5,"x2":-2,"label":-1})");
  EXPECT_EQ(c.point.x1, 1.5f);
  EXPECT_EQ(c.point.label, -1.0f);
  c = parse_command(R"({"type":"prune","count":900,"by":"activation"})");
  EXPECT_EQ(c.layer, 0);
  EXPECT_EQ(c.count, 900);
  EXPECT_EQ(c.prune_by, train::PruneBy::Activation);
  c = parse_command(R"({"type":"upload_csv","name":"a.csv","text":"1,2,1"})");
  EXPECT_EQ(c.name, "a.csv");
  EXPECT_EQ(c.text, "1,2,1");
  c = parse_command(R"({"type":"set_run","epochs_per_frame":10})");
  EXPECT_EQ(c.epochs_per_frame, 10);
  EXPECT_FALSE(c.stop_epoch.has_value());
  EXPECT_EQ(parse_command(R"({"type":"import","model":{"version":1}})").spec, json({{"version", 1}}));
}

TEST(Protocol, BadCommandFieldsAreNamed) {
  EXPECT_EQ(refusal(R"({"type":"set_param","layer":0,"unit":0})"), "set_param.value: is missing");
  EXPECT_EQ(refusal(R"({"type":"set_param","layer":0,"unit":"a","value":1})"),
            "set_param.unit: must be a number, got a string");
  EXPECT_EQ(refusal(R"({"type":"set_param","layer":0.5,"unit":0,"value":1})"),
            "set_param.layer: must be an integer, got 0.5");
  EXPECT_EQ(refusal(R"({"type":"add_point","x1":7,"x2":0,"label":1})"),
            "add_point: the point must lie in the domain -6..6 on both axes");
  EXPECT_EQ(refusal(R"({"type":"prune","count":0})"), "prune.count: must be at least 1, got 0");
  EXPECT_EQ(refusal(R"({"type":"prune","count":3,"by":"luck"})"),
            "prune.by: unknown ranking 'luck' (known: weight, activation)");
  EXPECT_EQ(refusal(R"({"type":"upload_csv","name":"a.csv"})"), "upload_csv.text: is missing");
  EXPECT_EQ(refusal(R"({"type":"import"})"), "import: \"model\" is missing; send {\"type\":\"import\",\"model\":{...}}");
}

TEST(Protocol, RunSettingsAreCheckedAndMerged) {
  RunSettings s = apply_run_settings({}, parse_command(R"({"type":"set_run","epochs_per_frame":5,"stop_epoch":300})"));
  EXPECT_EQ(s.epochs_per_frame, 5);
  EXPECT_EQ(s.stop_epoch, 300);
  s = apply_run_settings(s, parse_command(R"({"type":"set_run","stop_test_loss":0.05})"));
  EXPECT_EQ(s.epochs_per_frame, 5);
  EXPECT_EQ(s.stop_test_loss, 0.05);
  try {
    apply_run_settings(s, parse_command(R"({"type":"set_run","epochs_per_frame":0})"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "set_run.epochs_per_frame: must be 1..1000, got 0");
  }
}

TEST(Protocol, SetSpecWithoutAnObjectSpecIsRefused) {
  EXPECT_NE(refusal(R"({"type":"set_spec"})").find("set_spec: \"spec\" is missing"), std::string::npos);
  EXPECT_EQ(refusal(R"({"type":"set_spec","spec":"circle"})"), "set_spec: \"spec\" must be an object, got a string");
  EXPECT_EQ(refusal(R"({"type":"set_spec","spec":[]})"), "set_spec: \"spec\" must be an object, got an array");
}

TEST(Protocol, FrameHasAHeaderThenOutputsParamsAndUnitCodes) {
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

TEST(Protocol, StateHasMetricsAndNullForNonFiniteLoss) {
  const train::Session session{train::RunSpec{}};
  train::Metrics m;
  m.epoch = 42;
  m.train_loss = 0.125;
  m.test_loss = std::numeric_limits<double>::quiet_NaN();
  m.train_accuracy = 0.75;
  m.test_accuracy = 0.5;
  m.confusion = {{3, 1}, {0, 4}};
  const json j = json::parse(state_message(17, true, m, session, RunSettings{}, "epoch limit 10 reached"));
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
  EXPECT_EQ(j["epochs_per_frame"], 1);
  EXPECT_EQ(j["stopped"], "epoch limit 10 reached");

  m.train_accuracy.reset();
  m.test_accuracy.reset();
  m.confusion.clear();
  const json regression = json::parse(state_message(1, false, m, session, RunSettings{}, ""));
  EXPECT_FALSE(regression.contains("train_accuracy"));
  EXPECT_FALSE(regression.contains("confusion"));
  EXPECT_FALSE(regression.contains("stopped"));
}

TEST(Protocol, HelloSaysProtocolTwoAndListsDataSetsAndChoices) {
  const json j = json::parse(hello_message());
  EXPECT_EQ(j["type"], "hello");
  EXPECT_EQ(j["protocol"], 2);
  EXPECT_TRUE(j["version"].is_string());
  ASSERT_TRUE(j["datasets"].is_array());
  EXPECT_EQ(j["datasets"][0]["name"], "circle");
  EXPECT_EQ(j["datasets"][0]["preview"].size(), 200u);
  EXPECT_EQ(j["features"].size(), 7u);
  EXPECT_EQ(j["unit_grid"], 20);
  const auto& x1 = j["feature_maps"]["x1"];
  ASSERT_EQ(x1.size(), 400u);
  EXPECT_EQ(x1[0], 0);     // the left edge: x1 at its most negative
  EXPECT_EQ(x1[19], 255);  // the right edge
  EXPECT_EQ(j["choices"]["optimizer"], json({"sgd", "momentum", "adam"}));
  EXPECT_GE(j["choices"]["activation"].size(), 11u);
}

TEST(Protocol, ErrorCarriesTheMessage) {
  EXPECT_EQ(json::parse(error_message("type: \"x\"")), json({{"type", "error"}, {"message", "type: \"x\""}}));
}

TEST(Protocol, SpecHasTheWholeSpecLayersDomainAndGrids) {
  train::RunSpec spec;
  spec.noise = 10;
  const train::Session session{spec};
  const json j = json::parse(spec_message(session, probe::Domain{}, 100, 20, 3, "ignored.csv"));
  EXPECT_EQ(j["type"], "spec");
  EXPECT_EQ(j["run"], 3);
  EXPECT_EQ(j["spec"], train::to_json(spec));
  EXPECT_EQ(j["layers"], json::parse(R"([{"in":2,"out":4},{"in":4,"out":2},{"in":2,"out":1}])"));
  EXPECT_EQ(j["classes"], 2);
  EXPECT_EQ(j["domain"], json({{"x_min", -6.0}, {"x_max", 6.0}, {"y_min", -6.0}, {"y_max", 6.0}}));
  EXPECT_EQ(j["grid"], 100);
  EXPECT_EQ(j["unit_grid"], 20);
  EXPECT_TRUE(j["uploaded"].is_null()) << "no points were uploaded";
  EXPECT_EQ(j["added_points"], 0);
}

TEST(Protocol, DataListsEveryPointAsExactFloats) {
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

TEST(Protocol, CheckpointCarriesItsPositionAndStyle) {
  const Command c = parse_command(
      R"({"type":"checkpoint","index":3,"t":0.25,"interp":"linear","mode":"region","shading":"smooth","background":"light"})");
  EXPECT_EQ(c.type, CommandType::Checkpoint);
  EXPECT_EQ(c.timeline.index, 3);
  EXPECT_EQ(c.timeline.t, 0.25f);
  EXPECT_EQ(c.timeline.interpolation, probe::Interpolation::Linear);
  EXPECT_EQ(c.timeline.style.mode, exports::MapMode::Region);
  EXPECT_EQ(c.timeline.style.shading, exports::RegionShading::Smooth);
  EXPECT_EQ(c.timeline.style.background, exports::Background::Light);
  // The defaults: the checkpoint itself, cubic, boundary by maximum probability, magma on dark.
  const Command d = parse_command(R"({"type":"checkpoint","index":0})");
  EXPECT_EQ(d.timeline.t, 0.0f);
  EXPECT_EQ(d.timeline.interpolation, probe::Interpolation::Cubic);
  EXPECT_EQ(d.timeline.style.mode, exports::MapMode::Boundary);
  EXPECT_EQ(d.timeline.style.measure, exports::BoundaryMeasure::MaxProbability);
  EXPECT_EQ(d.timeline.style.colour_map, exports::ColourMap::Magma);
}

TEST(Protocol, ExportGifCarriesItsFramesAndStyle) {
  const Command c = parse_command(R"({"type":"export_gif","interp_factor":4,"frame_ms":50,"mode":"boundary","measure":"margin"})");
  EXPECT_EQ(c.type, CommandType::ExportGif);
  EXPECT_EQ(c.timeline.interp_factor, 4);
  EXPECT_EQ(c.timeline.frame_ms, 50);
  EXPECT_EQ(c.timeline.style.measure, exports::BoundaryMeasure::Margin);
  EXPECT_EQ(parse_command(R"({"type":"export_gif"})").timeline.interp_factor, 1);
}

TEST(Protocol, BadTimelineFieldsAreRefusedByName) {
  EXPECT_EQ(refusal(R"({"type":"checkpoint"})"), "checkpoint.index: is missing");
  EXPECT_EQ(refusal(R"({"type":"checkpoint","index":-1})"), "checkpoint.index: must be 0 or more, got -1");
  EXPECT_EQ(refusal(R"({"type":"checkpoint","index":1.5})"), "checkpoint.index: must be an integer, got 1.5");
  EXPECT_EQ(refusal(R"({"type":"checkpoint","index":0,"t":1.5})"), "checkpoint.t: must be 0..1, got 1.5");
  EXPECT_EQ(refusal(R"({"type":"checkpoint","index":0,"mode":7})"), "checkpoint.mode: must be a string, got a number");
  EXPECT_EQ(refusal(R"({"type":"checkpoint","index":0,"mode":"blur"})").rfind("checkpoint.mode: unknown mode 'blur'", 0), 0u);
  EXPECT_EQ(refusal(R"({"type":"checkpoint","index":0,"interp":"spline"})").rfind("checkpoint.interp: ", 0), 0u);
  EXPECT_EQ(refusal(R"({"type":"export_gif","colour_map":"rainbow"})").rfind("export_gif.colour_map: ", 0), 0u);
  EXPECT_EQ(refusal(R"({"type":"export_gif","interp_factor":0})"), "export_gif.interp_factor: must be 1..20, got 0");
  EXPECT_EQ(refusal(R"({"type":"export_gif","frame_ms":5})"), "export_gif.frame_ms: must be 20..10000, got 5");
}

TEST(Protocol, TheTimelineMessageListsCheckpoints) {
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

TEST(Protocol, CheckpointAndGifRepliesHaveTheirLayout) {
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
}  // namespace netlens::server
