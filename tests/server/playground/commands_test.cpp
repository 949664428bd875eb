#include "server/playground/commands.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

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

TEST(Dispatch, TimelineCommandsReplyInBinaryOrNameTheBadField) {
  std::mutex mutex;
  std::condition_variable arrived;
  std::vector<std::string> errors, binaries;
  LiveSession live(
      train::RunSpec{}, [] {},
      [&](const std::string& e) {
        std::lock_guard lock(mutex);
        errors.push_back(e);
        arrived.notify_all();
      },
      {}, nullptr,
      [&](std::string bytes) {
        std::lock_guard lock(mutex);
        binaries.push_back(std::move(bytes));
        arrived.notify_all();
      });
  EXPECT_EQ(dispatch_message(live, R"({"type":"checkpoint","index":0,"mode":"region"})"), std::nullopt);
  EXPECT_EQ(dispatch_message(live, R"({"type":"checkpoint","index":5})"), std::nullopt);  // checked by the session
  EXPECT_EQ(dispatch_message(live, R"({"type":"export_gif","frame_ms":40})"), std::nullopt);
  EXPECT_EQ(dispatch_message(live, R"({"type":"checkpoint","index":0,"shading":"blur"})")->rfind("checkpoint.shading: ", 0), 0u);
  EXPECT_EQ(dispatch_message(live, R"({"type":"export_gif","interp_factor":21})"),
            "export_gif.interp_factor: must be 1..20, got 21");
  std::unique_lock lock(mutex);
  ASSERT_TRUE(arrived.wait_for(lock, std::chrono::seconds(20), [&] { return binaries.size() + errors.size() >= 2; }));
  // The two checkpoint requests may merge into the newest (index 5, refused) before the session sees them.
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "checkpoint: index: must be 0..0, got 5");
  ASSERT_TRUE(arrived.wait_for(lock, std::chrono::seconds(20), [&] { return !binaries.empty() && binaries.back().starts_with("NLGF"); }));
}

}  // namespace
}  // namespace netlens::server
