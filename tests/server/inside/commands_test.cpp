#include "server/inside/messages.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

using namespace netlens;
using server::InsideCommandType;

namespace {
std::string error_of(const std::string& text) {
  try {
    server::parse_inside_command(text, train::TracedRunSpec{}, server::InsideView{});
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(InsideProtocol, SetSpecReplacesOnlyTheGivenKeys) {
  const auto c = server::parse_inside_command(R"({"type":"set_spec","spec":{"hidden":[3],"refresh":100}})",
                                              train::TracedRunSpec{}, server::InsideView{});
  EXPECT_EQ(c.type, InsideCommandType::SetSpec);
  EXPECT_EQ(c.spec.hidden, std::vector<int>{3});
  EXPECT_EQ(c.spec.refresh, 100);
  EXPECT_EQ(c.spec.epochs, 40000);
  EXPECT_EQ(c.spec.dataset, "xor4");
}

TEST(InsideProtocol, SetViewAndProbeReadTheirFields) {
  const auto v = server::parse_inside_command(R"({"type":"set_view","directions":"weights","first":2,"second":5,"extent":0.5})",
                                              train::TracedRunSpec{}, server::InsideView{});
  EXPECT_TRUE(v.view.weight_axes);
  EXPECT_EQ(v.view.first, 2);
  EXPECT_EQ(v.view.second, 5);
  EXPECT_DOUBLE_EQ(v.view.extent, 0.5);
  const auto p = server::parse_inside_command(R"({"type":"probe","x1":0.25,"x2":1})", train::TracedRunSpec{}, server::InsideView{});
  EXPECT_EQ(p.type, InsideCommandType::Probe);
  EXPECT_FLOAT_EQ(p.x1, 0.25f);
  EXPECT_FLOAT_EQ(p.x2, 1.0f);
}

TEST(InsideProtocol, BadInputGetsAnErrorNamingTheField) {
  EXPECT_EQ(error_of(R"({"type":"set_spec","spec":{"hidden":[0]}})"), "set_spec.spec.hidden[0]: must be 1..64, got 0");
  EXPECT_EQ(error_of(R"({"type":"set_spec","spec":{"hidden":"3"}})"),
            "set_spec.spec.hidden: must be an array of units per hidden layer, like [3], got a string");
  EXPECT_EQ(error_of(R"({"type":"set_spec","spec":{"epochs":100000,"refresh":1}})").rfind("set_spec.spec.refresh: must be at least", 0), 0u);
  EXPECT_EQ(error_of(R"({"type":"set_spec","spec":{"dataset":"blobs7"}})"),
            "set_spec.spec.dataset: must be xor4 or a two-class set, got 'blobs7'");
  EXPECT_EQ(error_of(R"({"type":"set_spec","spec":{"depth":3}})").rfind("set_spec.spec.depth: unknown key", 0), 0u);
  EXPECT_EQ(error_of(R"({"type":"set_spec"})"), "set_spec.spec: is missing");
  EXPECT_EQ(error_of(R"({"type":"set_view","extent":0})"), "set_view.extent: must be 0.01..100, got 0");
  EXPECT_EQ(error_of(R"({"type":"probe","x1":"a","x2":0})"), "probe.x1: must be a number, got a string");
  EXPECT_EQ(error_of(R"({"type":"warp"})").rfind("type: unknown type 'warp'", 0), 0u);
  EXPECT_EQ(error_of("[1]"), "message: must be a JSON object, got array");
  EXPECT_EQ(error_of("{").rfind("message: not JSON", 0), 0u);
}
