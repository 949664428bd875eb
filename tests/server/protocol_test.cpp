#include "server/protocol.hpp"

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
  EXPECT_EQ(refusal(R"({"type":"warp"})"), "type: unknown type 'warp' (known: play, pause, step, reset, set_spec)");
}

TEST(Protocol, SetSpecWithoutAnObjectSpecIsRefused) {
  EXPECT_NE(refusal(R"({"type":"set_spec"})").find("set_spec: \"spec\" is missing"), std::string::npos);
  EXPECT_EQ(refusal(R"({"type":"set_spec","spec":"circle"})"), "set_spec: \"spec\" must be an object, got a string");
  EXPECT_EQ(refusal(R"({"type":"set_spec","spec":[]})"), "set_spec: \"spec\" must be an object, got an array");
}

TEST(Protocol, HeatmapHasMagicSeqSizeThenLittleEndianFloats) {
  const float values[6] = {0.0f, -1.0f, 0.5f, 0.25f, 1.0f, -0.75f};
  const std::string bytes = encode_heatmap(0x01020304u, 3, 2, values);
  ASSERT_EQ(bytes.size(), 16u + 6 * 4);
  EXPECT_EQ(bytes.substr(0, 4), "NLHM");
  const auto u8 = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
  EXPECT_EQ(u8(4), 0x04);  // seq, least significant byte first
  EXPECT_EQ(u8(5), 0x03);
  EXPECT_EQ(u8(6), 0x02);
  EXPECT_EQ(u8(7), 0x01);
  EXPECT_EQ(u8(8), 3);  // width
  EXPECT_EQ(u8(9) | u8(10) | u8(11), 0);
  EXPECT_EQ(u8(12), 2);  // height
  // values[1] = -1.0f is 0xBF800000, at byte 16 + 4.
  EXPECT_EQ(u8(20), 0x00);
  EXPECT_EQ(u8(21), 0x00);
  EXPECT_EQ(u8(22), 0x80);
  EXPECT_EQ(u8(23), 0xBF);
  float last;
  std::memcpy(&last, bytes.data() + 16 + 5 * 4, 4);  // this machine is little-endian
  EXPECT_EQ(last, -0.75f);
}

TEST(Protocol, StateHasMetricsAndNullForNonFiniteLoss) {
  train::Metrics m;
  m.epoch = 42;
  m.train_loss = 0.125;
  m.test_loss = std::numeric_limits<double>::quiet_NaN();
  m.train_accuracy = 0.75;
  m.test_accuracy = 0.5;
  const json j = json::parse(state_message(17, true, m));
  EXPECT_EQ(j["type"], "state");
  EXPECT_EQ(j["seq"], 17);
  EXPECT_EQ(j["epoch"], 42);
  EXPECT_EQ(j["running"], true);
  EXPECT_EQ(j["train_loss"], 0.125);
  EXPECT_TRUE(j["test_loss"].is_null());
  EXPECT_EQ(j["train_accuracy"], 0.75);
  EXPECT_EQ(j["test_accuracy"], 0.5);

  m.train_accuracy.reset();
  m.test_accuracy.reset();
  const json regression = json::parse(state_message(1, false, m));
  EXPECT_FALSE(regression.contains("train_accuracy"));
  EXPECT_FALSE(regression.contains("test_accuracy"));
}

TEST(Protocol, HelloSaysProtocolOne) {
  const json j = json::parse(hello_message());
  EXPECT_EQ(j["type"], "hello");
  EXPECT_EQ(j["protocol"], 1);
  EXPECT_TRUE(j["version"].is_string());
}

TEST(Protocol, ErrorCarriesTheMessage) {
  EXPECT_EQ(json::parse(error_message("type: \"x\"")), json({{"type", "error"}, {"message", "type: \"x\""}}));
}

TEST(Protocol, SpecHasTheWholeSpecDomainAndGrid) {
  train::RunSpec spec;
  spec.noise = 10;
  const json j = json::parse(spec_message(spec, probe::Domain{}, 100));
  EXPECT_EQ(j["type"], "spec");
  EXPECT_EQ(j["spec"], train::to_json(spec));
  EXPECT_EQ(j["domain"], json({{"x_min", -6.0}, {"x_max", 6.0}, {"y_min", -6.0}, {"y_max", 6.0}}));
  EXPECT_EQ(j["grid"], 100);
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

}  // namespace
}  // namespace netlens::server
