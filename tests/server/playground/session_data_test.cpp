// The Playground session's data and model: added and uploaded points, pruning, export and import, data sets, settings.
#include "server/playground/session.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "server/playground/playground_fixture.hpp"

namespace netlens::server::playground {
namespace {

TEST(PlaygroundSession, AnAddedPointResendsTheDataButKeepsTheRun) {
  Playground p;
  p.send(R"({"type":"step"})");
  const Recorded* before = p.state([](const json& s) { return epoch(s) == 1; });
  ASSERT_NE(before, nullptr);
  const json before_spec = p.outbox.all("spec").back(), before_data = p.outbox.all("data").back();
  p.send(R"({"type":"add_point","x1":5,"x2":5,"label":1})");
  const Recorded* spec = p.outbox.wait_for("spec", before->index);
  ASSERT_NE(spec, nullptr);
  EXPECT_EQ(spec->json["run"], before_spec["run"]) << "the same run: the chart goes on";
  EXPECT_EQ(spec->json["added_points"], 1);
  const Recorded* data = p.outbox.wait_for("data", spec->index);
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(data->json["train"].size(), before_data["train"].size() + 1);
  const Recorded* after = p.state(spec->index);
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(epoch(after->json), 1) << "training goes on";
  // A change that keeps the data keeps the point; a new data set drops it.
  p.send(R"({"type":"set_spec","spec":{"learning_rate":0.1}})");
  spec = p.outbox.wait_for("spec", [](const json& s) { return s["spec"]["learning_rate"] == 0.1; });
  ASSERT_NE(spec, nullptr);
  EXPECT_EQ(spec->json["added_points"], 1);
  p.send(R"({"type":"set_spec","spec":{"dataset":"xor"}})");
  spec = p.outbox.wait_for("spec", [](const json& s) { return s["spec"]["dataset"] == "xor"; });
  ASSERT_NE(spec, nullptr);
  EXPECT_EQ(spec->json["added_points"], 0);
}

TEST(PlaygroundSession, UploadedPointsReplaceTheDataSet) {
  Playground p;
  std::string csv;
  for (int i = 0; i < 40; ++i)
    csv += std::to_string(i % 8 - 4) + "," + std::to_string(i % 5 - 2) + "," + (i % 2 ? "1" : "-1") + "\n";
  p.send_json(json{{"type", "upload_csv"}, {"name", "mine.csv"}, {"text", csv}});
  const Recorded* spec = p.outbox.wait_for("spec", [](const json& s) { return !s["uploaded"].is_null(); });
  ASSERT_NE(spec, nullptr);
  EXPECT_EQ(spec->json["uploaded"], "mine.csv");
  const Recorded* data = p.outbox.wait_for("data", spec->index);
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(data->json["train"].size() + data->json["test"].size(), 40u);
}

TEST(PlaygroundSession, ASevenClassRunTakesAnUploadLabelledZeroToSix) {
  Playground p(train::parse_run_spec(json{{"dataset", "blobs7"}}));
  std::string csv = "x1,x2,label\n";
  for (int i = 0; i < 42; ++i) csv += std::to_string(i % 7 - 3) + "," + std::to_string(i % 3) + "," + std::to_string(i % 7) + "\n";
  p.send_json(json{{"type", "upload_csv"}, {"name", "seven.csv"}, {"text", csv}});
  const Recorded* spec = p.outbox.wait_for("spec", [](const json& s) { return s["uploaded"] == "seven.csv"; });
  ASSERT_NE(spec, nullptr);
  EXPECT_EQ(spec->json["classes"], 7);
  const Recorded* data = p.outbox.wait_for("data", spec->index);
  ASSERT_NE(data, nullptr);
  std::set<int> labels;
  for (const char* part : {"train", "test"})
    for (const auto& point : data->json[part]) labels.insert(point[2].get<int>());
  EXPECT_EQ(labels, (std::set<int>{0, 1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(p.answer(R"({"type":"add_point","x1":1,"x2":1,"label":-1})"),
            error_of("add_point", "add_point: label: must be a class 0..6 (the run has 7 classes), got -1.0"));
  EXPECT_EQ(p.answer(R"({"type":"upload_csv","name":"b.csv","text":"0,0,0\n0,0,1\n0,0,2\n0,0,-1\n"})"),
            error_of("upload_csv", "upload_csv: b.csv: row 4: label must be a class 0..6 (the run has 7 classes), got '-1'"));
}

TEST(PlaygroundSession, AnUploadAskingForRescaleFitsItsPointsIntoTheDomainAndSaysHow) {
  Playground p;
  std::string csv = "height,weight,label\n";
  for (int i = 0; i < 20; ++i) csv += std::to_string(150 + i) + "," + std::to_string(50 + 2 * i) + "," + (i % 2 ? "1" : "0") + "\n";
  p.send_json(json{{"type", "upload_csv"}, {"name", "people.csv"}, {"text", csv}});
  EXPECT_NE(p.outbox.wait_for("error", [](const json& e) {
    return e["message"].get<std::string>().find("20 bad rows: row 2: x1 must be in -6..6, got '150'") != std::string::npos;
  }), nullptr);
  p.send_json(json{{"type", "upload_csv"}, {"name", "people.csv"}, {"text", csv}, {"rescale", true}});
  const Recorded* spec = p.outbox.wait_for("spec", [](const json& s) { return !s["uploaded"].is_null(); });
  ASSERT_NE(spec, nullptr);
  const json& rescaled = spec->json["rescaled"];
  EXPECT_EQ(rescaled["x1"], json::parse("[150,169]"));
  EXPECT_EQ(rescaled["x2"], json::parse("[50,88]"));
  EXPECT_DOUBLE_EQ(rescaled["scale"].get<double>(), 6.0 / 19);  // half of x2's span 50..88
  const Recorded* data = p.outbox.wait_for("data", spec->index);
  ASSERT_NE(data, nullptr);
  for (const auto& set : {data->json["train"], data->json["test"]})
    for (const auto& point : set) {
      EXPECT_LE(std::abs(point[0].get<double>()), 6.0);
      EXPECT_LE(std::abs(point[1].get<double>()), 6.0);
    }
}

TEST(PlaygroundSession, PruningMarksTheWeakestUnitsInTheState) {
  Playground p(train::parse_run_spec(json{{"hidden_layers", {{{"units", 50}}}}}));
  p.send(R"({"type":"prune","layer":0,"count":30,"by":"weight"})");
  const Recorded* state = p.state([](const json& s) { return !s["pruned"][0].empty(); });
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(state->json["pruned"][0].size(), 30u);
}

TEST(PlaygroundSession, ExportRepliesWithTheModelAndImportRestoresIt) {
  Playground p;
  for (int i = 0; i < 5; ++i) p.send(R"({"type":"step"})");
  const Recorded* trained_state = p.state([](const json& s) { return epoch(s) == 5; });
  ASSERT_NE(trained_state, nullptr);
  const auto trained = p.session->frame();
  p.send(R"({"type":"export"})");
  p.send(R"({"type":"reset"})");
  ASSERT_NE(p.state([](const json& s) { return epoch(s) == 0; }, trained_state->index), nullptr);
  const auto exports = p.outbox.all("export");
  ASSERT_EQ(exports.size(), 1u);
  const json& exported = exports[0];
  EXPECT_NE(exported["pytorch"].get<std::string>().find("nn.Sequential"), std::string::npos);
  const std::size_t from = p.outbox.size();
  p.send_json(json{{"type", "import"}, {"model", exported["model"]}});
  const Recorded* spec = p.outbox.wait_for("spec", from);
  ASSERT_NE(spec, nullptr);
  ASSERT_NE(p.state(spec->index), nullptr);
  const auto restored = p.session->frame();
  EXPECT_NE(restored->run, trained->run) << "a new run";
  EXPECT_EQ(restored->metrics.test_loss, trained->metrics.test_loss) << "the trained weights are back";
  const json refused = p.answer(R"({"type":"import","model":{"format":"other"}})");
  EXPECT_EQ(refused["command"], "import");
  EXPECT_EQ(refused["message"].get<std::string>().rfind("import: model.", 0), 0u) << refused;
  EXPECT_EQ(p.session->frame(), restored) << "a refused import changes nothing";
}

TEST(PlaygroundSession, ASevenClassExportImportsBackAndTheRunGoesOnFromItsEpoch) {
  Playground p(train::parse_run_spec(json{{"dataset", "blobs7"}}));
  for (int i = 0; i < 3; ++i) p.send(R"({"type":"step"})");
  ASSERT_NE(p.state([](const json& s) { return epoch(s) == 3; }), nullptr);
  const auto trained = p.session->frame();
  p.send(R"({"type":"export"})");
  const Recorded* exported = p.outbox.wait_for("export");
  ASSERT_NE(exported, nullptr);
  json model = exported->json["model"];
  model["epoch"] = 321;  // as a file from a longer run says
  const std::size_t from = p.outbox.size();
  p.send_json(json{{"type", "import"}, {"model", model}});
  const Recorded* spec = p.outbox.wait_for("spec", from);
  ASSERT_NE(spec, nullptr);
  const Recorded* state = p.state(spec->index);
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(epoch(state->json), 321) << "the run starts at the model's epoch";
  EXPECT_EQ(p.session->frame()->metrics.test_loss, trained->metrics.test_loss);
  EXPECT_TRUE(p.outbox.all("error").empty()) << p.outbox.all("error")[0];
  p.send(R"({"type":"step"})");
  ASSERT_NE(p.state([](const json& s) { return epoch(s) == 322; }, state->index), nullptr);
  p.send(R"({"type":"reset"})");
  ASSERT_NE(p.state([](const json& s) { return epoch(s) == 0; }, state->index), nullptr);
}

TEST(PlaygroundSession, ChoosingADataSetBringsTheLossItNeeds) {
  Playground p(train::parse_run_spec(json{{"loss", "binary_cross_entropy"}}));
  const auto loss_after = [&](const char* dataset) {
    const std::size_t from = p.outbox.size();
    p.send_json(json{{"type", "set_spec"}, {"spec", {{"dataset", dataset}}}});
    const Recorded* spec = p.outbox.wait_for("spec", [&](const json& s) { return s["spec"]["dataset"] == dataset; }, from);
    return spec ? spec->json["spec"]["loss"].get<std::string>() : "no spec: " + p.outbox.all("error").back().dump();
  };
  EXPECT_EQ(loss_after("blobs7"), "softmax_cross_entropy");
  EXPECT_EQ(loss_after("plane"), "squared_error");
  EXPECT_EQ(loss_after("circle"), "binary_cross_entropy") << "the loss the binary run had before";
  EXPECT_EQ(loss_after("xor"), "binary_cross_entropy");
  EXPECT_EQ(loss_after("multi_gaussian"), "squared_error");
  EXPECT_TRUE(p.outbox.all("error").empty());
  const json refused = p.answer(R"({"type":"set_spec","spec":{"dataset":"blobs7","loss":"squared_error"}})");
  EXPECT_NE(refused["message"].get<std::string>().find("needs softmax_cross_entropy"), std::string::npos) << refused;
}

TEST(PlaygroundSession, TrainingSettingsApplyFromTheNextStepWithoutANewRun) {
  Playground p;
  p.send(R"({"type":"play"})");
  const Recorded* playing = p.state([](const json& s) { return epoch(s) >= 3; });
  ASSERT_NE(playing, nullptr);
  const auto run = json::parse(p.session->frame()->run->spec)["run"];
  for (const char* change : {R"({"learning_rate":0.1})", R"({"optimizer":"adam","momentum":0.5})",
                             R"({"regularization":"l1","regularization_rate":0.001})", R"({"batch_size":25})"}) {
    SCOPED_TRACE(change);
    const std::size_t from = p.outbox.size();
    const json changes = json::parse(change);
    p.send_json(json{{"type", "set_spec"}, {"spec", changes}});
    const Recorded* spec = p.outbox.wait_for("spec", from);
    ASSERT_NE(spec, nullptr);
    EXPECT_EQ(spec->json["run"], run) << "the same run";
    for (const auto& [key, value] : changes.items()) EXPECT_EQ(spec->json["spec"][key], value);
    const Recorded* after = p.state(spec->index);
    ASSERT_NE(after, nullptr);
    EXPECT_GE(epoch(after->json), epoch(playing->json)) << "no epoch 0";
    EXPECT_EQ(after->json["running"], true) << "it keeps playing";
    playing = after;
  }
  p.send(R"({"type":"pause"})");
  const json big = p.answer(R"({"type":"set_spec","spec":{"batch_size":400}})");
  EXPECT_NE(big["message"].get<std::string>().find("batch_size"), std::string::npos) << big;
  // The network's shape is a new run.
  const std::size_t from = p.outbox.size();
  p.send(R"({"type":"set_spec","spec":{"hidden_layers":[{"units":3}]}})");
  const Recorded* spec = p.outbox.wait_for("spec", from);
  ASSERT_NE(spec, nullptr);
  EXPECT_NE(spec->json["run"], run);
  const Recorded* fresh = p.state(spec->index);
  ASSERT_NE(fresh, nullptr);
  EXPECT_EQ(epoch(fresh->json), 0);
}

TEST(PlaygroundSession, ASevenClassRunSendsOneProbabilityMapPerClass) {
  Playground p(train::parse_run_spec(json{{"dataset", "blobs7"}}));
  const auto frame = p.session->frame();
  EXPECT_EQ(json::parse(frame->run->spec)["classes"], 7);
  ASSERT_EQ(u32_at(frame->body, 12), 7u);
  // At every grid point the seven probabilities sum to 1.
  const std::size_t points = kGridResolution * kGridResolution;
  for (std::size_t point : {0ul, 5050ul, points - 1}) {
    float sum = 0;
    for (std::size_t c = 0; c < 7; ++c) {
      float v;
      std::memcpy(&v, frame->body.data() + 28 + 4 * (c * points + point), 4);
      sum += v;
    }
    EXPECT_NEAR(sum, 1.0f, 1e-5f);
  }
  EXPECT_EQ(json::parse(frame->state)["confusion"].size(), 7u);
}

}  // namespace
}  // namespace netlens::server::playground
