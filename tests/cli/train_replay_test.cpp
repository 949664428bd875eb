// A run set up in the page (a PlaygroundSession, as its tab drives it) replayed by the real
// `netlens train` binary from the page's points and exported weights.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <optional>
#include <sstream>

#include "server/playground/session.hpp"
#include "server/support/recording_outbox.hpp"
#include "support/run_netlens.hpp"

namespace netlens::server::playground {
namespace {

using nlohmann::json;

std::string temp_file(const std::string& name, const std::string& text) {
  const std::string path = test::temp_path(name);
  std::ofstream(path) << text;
  return path;
}

// 80 points inside the domain, +1 within radius 3 of the origin.
std::string circle_csv() {
  std::string csv = "x1,x2,label\n";
  for (int i = 0; i < 80; ++i) {
    const double x1 = 5 * std::sin(i * 1.7), x2 = 5 * std::cos(i * 2.3);
    csv += std::to_string(x1) + "," + std::to_string(x2) + "," + (x1 * x1 + x2 * x2 < 9 ? "1" : "-1") + "\n";
  }
  return csv;
}

TEST(TrainReplay, APageRunReplayedHeadlessPrintsTheSameLossesEpochByEpoch) {
  const train::RunSpec spec = train::parse_run_spec(json{{"batch_size", 7}, {"learning_rate", 0.1}});
  RecordingOutbox outbox;
  std::optional<PlaygroundSession> page;
  page.emplace(outbox, nullptr, std::filesystem::path{}, spec);
  outbox.attach(*page);
  const std::string csv = circle_csv();
  page->receive(json{{"type", "upload_csv"}, {"name", "points.csv"}, {"text", csv}}.dump());
  page->receive(R"({"type":"set_param","layer":0,"unit":1,"input":0,"value":1.5})");  // the user's own weights
  page->receive(R"({"type":"set_param","layer":0,"unit":1,"value":-0.25})");
  page->receive(R"({"type":"export"})");
  const Recorded* exported = outbox.wait_for("export");
  ASSERT_NE(exported, nullptr);
  for (int i = 0; i < 6; ++i) page->receive(R"({"type":"step"})");
  ASSERT_NE(outbox.wait_for("state", [](const json& s) { return s["epoch"] == 6; }), nullptr);
  page.reset();
  EXPECT_TRUE(outbox.all("error").empty()) << outbox.all("error")[0];
  std::vector<json> page_epochs;
  for (const auto& s : outbox.all("state"))
    if (s["epoch"] > 0) page_epochs.push_back({s["epoch"], s["train_loss"], s["test_loss"], s["train_accuracy"], s["test_accuracy"]});
  ASSERT_EQ(page_epochs.size(), 6u);

  const std::string args = "train --spec " + temp_file("replay_spec.json", train::to_json(spec).dump()) +
                           " --points " + temp_file("replay_points.csv", csv) + " --epochs 6 --json";
  const std::string model = temp_file("replay_model.json", exported->json["model"].dump());
  const test::Result r = test::run_netlens(args + " --init " + model);
  ASSERT_EQ(r.status, 0) << r.err;
  std::istringstream lines(r.out);
  std::string line;
  std::vector<json> cli_epochs;
  while (std::getline(lines, line)) {
    const json j = json::parse(line);
    cli_epochs.push_back({j["epoch"], j["train_loss"], j["test_loss"], j["train_accuracy"], j["test_accuracy"]});
  }
  EXPECT_EQ(cli_epochs, page_epochs);

  // Without the page's weights (or its points) it is another run.
  const test::Result fresh = test::run_netlens(args);
  ASSERT_EQ(fresh.status, 0) << fresh.err;
  EXPECT_NE(fresh.out, r.out);
}

TEST(TrainReplay, PointsAndModelsAreCheckedAsThePageChecksThem) {
  const std::string spec = temp_file("check_spec.json", "{}");
  const test::Result bad_row = test::run_netlens("train --spec " + spec + " --points " +
                                                 temp_file("check_points.csv", "x1,x2,label\n1,2,1\n1,9,1\n"));
  EXPECT_EQ(bad_row.status, 2);
  EXPECT_NE(bad_row.err.find("check_points.csv: row 3: "), std::string::npos) << bad_row.err;
  const test::Result bad_model = test::run_netlens(
      "train --spec " + spec + " --init " + temp_file("check_model.json", R"({"format":"other"})"));
  EXPECT_EQ(bad_model.status, 2);
  EXPECT_NE(bad_model.err.find("check_model.json: import: model."), std::string::npos) << bad_model.err;
}

}  // namespace
}  // namespace netlens::server::playground
