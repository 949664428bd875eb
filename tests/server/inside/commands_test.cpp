#include "server/inside/commands.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "server/support/command_reader.hpp"
#include "support/error_text.hpp"

using namespace netlens;
using namespace netlens::server::inside;
using nlohmann::json;

namespace {
Command read(const std::string& text) { return test::read_command(text, parse_command); }
std::string error_of(const std::string& text) {
  return test::error_text([&] { read(text); });
}
}  // namespace

TEST(InsideCommands, SetSpecReplacesOnlyTheGivenKeys) {
  const auto c = std::get<SetSpec>(read(R"({"type":"set_spec","spec":{"hidden":[3],"refresh":100}})"));
  const auto spec = merge_spec(c.changes, train::TracedRunSpec{});
  EXPECT_EQ(spec.hidden, std::vector<int>{3});
  EXPECT_EQ(spec.refresh, 100);
  EXPECT_EQ(spec.epochs, 40000);
  EXPECT_EQ(spec.dataset, "xor4");
  train::TracedRunSpec wide;
  wide.hidden = {5, 5};
  EXPECT_EQ(merge_spec(json{{"refresh", 100}}, wide).hidden, (std::vector<int>{5, 5}));  // onto the session's spec
}

// A link may carry several bad values: the page names each, so the server names each.
TEST(InsideCommands, SetSpecNamesEveryBadKey) {
  EXPECT_EQ(error_of(R"({"type":"set_spec","spec":{"hidden":[3,null],"seed":1.5,"epochs":1e12,"noise":10}})"),
            "set_spec.spec.seed: must be an integer 0..4294967295, got 1.5; "
            "set_spec.spec.hidden[1]: must be an integer 1..64, got null; "
            "set_spec.spec.epochs: must be an integer 1..1000000, got 1000000000000.0");
  train::TracedRunSpec kept;
  kept.hidden = {5};
  EXPECT_THROW(merge_spec(json{{"hidden", {2, 0}}}, kept), Error);
}

TEST(InsideCommands, SetViewAndProbeReadTheirFields) {
  const auto v = merge_view(std::get<SetView>(read(R"({"type":"set_view","directions":"weights","first":2,"second":5,"extent":0.5})")).changes, View{});
  EXPECT_TRUE(v.weight_axes);
  EXPECT_EQ(v.first, 2);
  EXPECT_EQ(v.second, 5);
  EXPECT_DOUBLE_EQ(v.extent, 0.5);
  EXPECT_EQ(v.dims, 3);  // untouched
  const auto p = std::get<Probe>(read(R"({"type":"probe","x1":0.25,"x2":1})"));
  EXPECT_FLOAT_EQ(p.x1, 0.25f);
  EXPECT_FLOAT_EQ(p.x2, 1.0f);
}

TEST(InsideCommands, BadInputGetsAnErrorNamingTheField) {
  EXPECT_EQ(error_of(R"({"type":"set_spec","spec":{"hidden":[0]}})"), "set_spec.spec.hidden[0]: must be an integer 1..64, got 0");
  EXPECT_EQ(error_of(R"({"type":"set_spec","spec":{"hidden":"3"}})"), "set_spec.spec.hidden: must be an array, got a string");
  EXPECT_EQ(error_of(R"({"type":"set_spec","spec":{"epochs":100000,"refresh":1}})").rfind("set_spec.spec.refresh: must be at least", 0), 0u);
  EXPECT_EQ(error_of(R"({"type":"set_spec","spec":{"dataset":"blobs7"}})"),
            "set_spec.spec.dataset: must be xor4 or a two-class set, got 'blobs7'");
  EXPECT_EQ(error_of(R"({"type":"set_spec","spec":{"depth":3}})").rfind("set_spec.spec.depth: unknown key (known: ", 0), 0u);
  EXPECT_EQ(error_of(R"({"type":"set_spec"})"), "set_spec.spec: is missing");
  EXPECT_EQ(error_of(R"({"type":"set_spec","spec":{"seed":-1}})"), "set_spec.spec.seed: must be an integer 0..4294967295, got -1");
  EXPECT_EQ(error_of(R"({"type":"set_spec","spec":{"learning_rate":100}})"),
            "set_spec.spec.learning_rate: must be a number 0.000001..10, got 100");
  EXPECT_EQ(error_of(R"({"type":"set_view","extent":0})"), "set_view.extent: must be a number 0.01..100, got 0");
  EXPECT_EQ(error_of(R"({"type":"set_view","seed":1.5})"), "set_view.seed: must be an integer 0..4294967295, got 1.5");
  EXPECT_EQ(error_of(R"({"type":"probe","x1":"a","x2":0})"), "probe.x1: must be a number -100..100, got a string");
  EXPECT_EQ(error_of(R"({"type":"warp"})").rfind("message.type: unknown type 'warp'", 0), 0u);
  EXPECT_EQ(error_of("[1]"), "message: must be an object, got an array");
  EXPECT_EQ(error_of("{").rfind("message: not JSON", 0), 0u);
}
