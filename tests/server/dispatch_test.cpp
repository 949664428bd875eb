#include "server/dispatch.hpp"

#include <gtest/gtest.h>

namespace netlens::server {
namespace {

TEST(Dispatch, ValidCommandsAreAppliedAndBadOnesAnswered) {
  Budget memory(64 << 20);
  LiveSession live(train::RunSpec{}, [] {}, {}, {}, &memory);
  EXPECT_EQ(dispatch_message(live, R"({"type":"step"})"), std::nullopt);
  EXPECT_EQ(dispatch_message(live, R"({"type":"set_spec","spec":{"dataset":"xor"}})"), std::nullopt);
  EXPECT_EQ(dispatch_message(live, "[1]"), "message: must be a JSON object, got an array");
  EXPECT_EQ(dispatch_message(live, R"({"type":"set_spec","spec":{"noise":99}})"),
            "set_spec: spec.noise: must be 0..50, got 99");
  const auto refused = dispatch_message(
      live, R"({"type":"set_spec","spec":{"hidden_layers":[{"units":1024},{"units":1024},{"units":1024}]}})");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->rfind("set_spec: memory: this run needs about ", 0), 0u) << *refused;
  EXPECT_EQ(train::to_json(live.spec())["dataset"], "xor");  // the refused specs left it alone
  EXPECT_EQ(dispatch_message(live, R"({"type":"upload_csv","name":"a.csv","text":"1,2,banana\n"})"),
            "upload_csv: a.csv: row 1: label is not a number: 'banana'");
  EXPECT_EQ(dispatch_message(live, R"({"type":"import","model":{"version":2}})")->rfind("import: model.", 0), 0u);
  EXPECT_EQ(dispatch_message(live, R"({"type":"set_param","layer":0,"unit":0})"), "set_param.value: is missing");
}

}  // namespace
}  // namespace netlens::server
