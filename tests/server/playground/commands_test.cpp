#include "server/playground/commands.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "server/support/command_reader.hpp"
#include "support/error_text.hpp"

namespace netlens::server::playground {
namespace {

using nlohmann::json;

// The command a client message reads as (the session reads "type" first, then the rest).
Command parse(std::string_view text) { return test::read_command(text, parse_command); }
template <class T>
T parse_as(std::string_view text) {
  const Command command = parse(text);
  EXPECT_TRUE(std::holds_alternative<T>(command)) << text;
  return std::holds_alternative<T>(command) ? std::get<T>(command) : T{};
}

// The message of the Error that parse_command throws for `text`, or "" if it throws none.
std::string refusal(std::string_view text) {
  return test::error_text([&] { parse(text); });
}

TEST(Commands, ParsesEachCommandType) {
  EXPECT_TRUE(std::holds_alternative<Play>(parse(R"({"type":"play"})")));
  EXPECT_TRUE(std::holds_alternative<Pause>(parse(R"({"type":"pause"})")));
  EXPECT_TRUE(std::holds_alternative<Step>(parse(R"({"type":"step"})")));
  EXPECT_TRUE(std::holds_alternative<Reset>(parse(R"({"type":"reset"})")));
  EXPECT_TRUE(std::holds_alternative<Export>(parse(R"({"type":"export"})")));
}

TEST(Commands, UnknownKeysAreRefusedListingTheKnownOnes) {
  EXPECT_EQ(refusal(R"({"type":"play","extra":[1,2]})"), "play.extra: unknown key (known: type)");
  EXPECT_EQ(refusal(R"({"type":"set_param","layer":0,"unit":0,"value":1,"x":2})"),
            "set_param.x: unknown key (known: type, layer, unit, input, value)");
  EXPECT_EQ(refusal(R"({"type":"checkpoint","index":0,"colour":"magma"})").rfind("checkpoint.colour: unknown key (known: ", 0),
            0u);
}

TEST(Commands, UnknownTypeIsRefusedNamingItAndTheKnownOnes) {
  EXPECT_EQ(refusal(R"({"type":"warp"})"),
            "message.type: unknown type 'warp' (known: play, pause, step, reset, set_spec, set_run, set_param, "
            "add_point, upload_csv, prune, export, import, list_runs, open_run, checkpoint, export_gif)");
}

TEST(Commands, SetSpecAndImportCarryTheirObjects) {
  EXPECT_EQ(parse_as<SetSpec>(R"({"type":"set_spec","spec":{"dataset":"xor","noise":10}})").changes,
            json({{"dataset", "xor"}, {"noise", 10}}));
  EXPECT_EQ(parse_as<Import>(R"({"type":"import","model":{"version":1}})").model, json({{"version", 1}}));
}

TEST(Commands, SetSpecAndImportWithoutAnObjectAreRefused) {
  EXPECT_EQ(refusal(R"({"type":"set_spec"})"), "set_spec.spec: is missing");
  EXPECT_EQ(refusal(R"({"type":"set_spec","spec":"circle"})"), "set_spec.spec: must be an object, got a string");
  EXPECT_EQ(refusal(R"({"type":"set_spec","spec":[]})"), "set_spec.spec: must be an object, got an array");
  EXPECT_EQ(refusal(R"({"type":"import"})"), "import.model: is missing");
  EXPECT_EQ(refusal(R"({"type":"import","model":null})"), "import.model: must be an object, got null");
}

TEST(Commands, CommandsCarryTheirCheckedFields) {
  const auto p = parse_as<SetParam>(R"({"type":"set_param","layer":1,"unit":2,"input":0,"value":-0.5})");
  EXPECT_EQ(p.layer, 1);
  EXPECT_EQ(p.unit, 2);
  EXPECT_EQ(p.input, 0);
  EXPECT_EQ(p.value, -0.5f);
  EXPECT_EQ(parse_as<SetParam>(R"({"type":"set_param","layer":0,"unit":0,"value":1})").input, -1);  // the bias
  const auto a = parse_as<AddPoint>(R"({"type":"add_point","x1":1.5,"x2":-2,"label":-1})");
  EXPECT_EQ(a.point.x1, 1.5f);
  EXPECT_EQ(a.point.x2, -2.0f);
  EXPECT_EQ(a.point.label, -1.0f);
  const auto prune = parse_as<Prune>(R"({"type":"prune","count":900,"by":"activation"})");
  EXPECT_EQ(prune.layer, 0);
  EXPECT_EQ(prune.count, 900);
  EXPECT_EQ(prune.by, train::PruneBy::Activation);
  EXPECT_EQ(parse_as<Prune>(R"({"type":"prune","layer":1,"count":2})").by, train::PruneBy::OutgoingWeight);
  const auto u = parse_as<UploadCsv>(R"({"type":"upload_csv","name":"a.csv","text":"1,2,1"})");
  EXPECT_EQ(u.name, "a.csv");
  EXPECT_EQ(u.text, "1,2,1");
  EXPECT_FALSE(u.rescale);
  EXPECT_TRUE(parse_as<UploadCsv>(R"({"type":"upload_csv","name":"a.csv","text":"","rescale":true})").rescale);
  const auto r = parse_as<SetRun>(R"({"type":"set_run","epochs_per_frame":10})");
  EXPECT_EQ(r.epochs_per_frame, 10);
  EXPECT_FALSE(r.stop_epoch.has_value());
  EXPECT_FALSE(r.stop_test_loss.has_value());
}

TEST(Commands, AnIntegerIsANumberWithNoFraction) {
  const auto p = parse_as<SetParam>(R"({"type":"set_param","layer":3.0,"unit":1,"value":1})");
  EXPECT_EQ(p.layer, 3);
  EXPECT_EQ(refusal(R"({"type":"set_param","layer":2.5,"unit":0,"value":1})"),
            "set_param.layer: must be an integer of at least 0, got 2.5");
  EXPECT_EQ(refusal(R"({"type":"set_param","layer":"3","unit":0,"value":1})"),
            "set_param.layer: must be an integer of at least 0, got a string");
  EXPECT_EQ(refusal(R"({"type":"set_param","layer":3000000000,"unit":0,"value":1})"),
            "set_param.layer: must be an integer of at least 0, got 3000000000");
}

TEST(Commands, BadCommandFieldsAreNamed) {
  EXPECT_EQ(refusal(R"({"type":"set_param","layer":0,"unit":0})"), "set_param.value: is missing");
  EXPECT_EQ(refusal(R"({"type":"set_param","layer":0,"unit":"a","value":1})"),
            "set_param.unit: must be an integer of at least 0, got a string");
  EXPECT_EQ(refusal(R"({"type":"set_param","layer":0,"unit":0,"value":"a"})"),
            "set_param.value: must be a number -1000000..1000000, got a string");
  EXPECT_EQ(refusal(R"({"type":"set_param","layer":0,"unit":0,"input":-2,"value":1})"),
            "set_param.input: must be an integer of at least -1, got -2");
  EXPECT_EQ(refusal(R"({"type":"add_point","x1":7,"x2":0,"label":1})"), "add_point.x1: must be a number -6..6, got 7");
  EXPECT_EQ(refusal(R"({"type":"add_point","x1":0,"x2":-6.5,"label":1})"),
            "add_point.x2: must be a number -6..6, got -6.5");
  EXPECT_EQ(refusal(R"({"type":"prune","count":0})"), "prune.count: must be an integer of at least 1, got 0");
  EXPECT_EQ(refusal(R"({"type":"prune","count":3,"by":"luck"})"),
            "prune.by: unknown ranking 'luck' (known: weight, activation)");
  EXPECT_EQ(refusal(R"({"type":"upload_csv","name":"a.csv"})"), "upload_csv.text: is missing");
  EXPECT_EQ(refusal(R"({"type":"upload_csv","name":7,"text":""})"), "upload_csv.name: must be a string, got a number");
}

TEST(Commands, RunSettingsAreCheckedAndMerged) {
  RunSettings s =
      apply_run_settings({}, parse_as<SetRun>(R"({"type":"set_run","epochs_per_frame":5,"stop_epoch":300})"));
  EXPECT_EQ(s.epochs_per_frame, 5);
  EXPECT_EQ(s.stop_epoch, 300);
  s = apply_run_settings(s, parse_as<SetRun>(R"({"type":"set_run","stop_test_loss":0.05})"));
  EXPECT_EQ(s.epochs_per_frame, 5);
  EXPECT_EQ(s.stop_epoch, 300);
  EXPECT_EQ(s.stop_test_loss, 0.05);
  EXPECT_EQ(refusal(R"({"type":"set_run","epochs_per_frame":0})"), "set_run.epochs_per_frame: must be an integer 1..1000, got 0");
  EXPECT_EQ(refusal(R"({"type":"set_run","stop_epoch":-1})"), "set_run.stop_epoch: must be an integer of at least 0, got -1");
  EXPECT_EQ(refusal(R"({"type":"set_run","stop_test_loss":-0.5})"),
            "set_run.stop_test_loss: must be a number 0..1000000, got -0.5");
}

TEST(Commands, CheckpointCarriesItsPositionAndStyle) {
  const auto c = parse_as<Checkpoint>(
      R"({"type":"checkpoint","index":3,"t":0.25,"interp":"linear","mode":"region","shading":"smooth","background":"light"})");
  EXPECT_EQ(c.request.index, 3);
  EXPECT_EQ(c.request.t, 0.25f);
  EXPECT_EQ(c.request.interpolation, probe::Interpolation::Linear);
  EXPECT_EQ(c.request.style.mode, exports::MapMode::Region);
  EXPECT_EQ(c.request.style.shading, exports::RegionShading::Smooth);
  EXPECT_EQ(c.request.style.background, exports::Background::Light);
  // The defaults: the checkpoint itself, cubic, boundary by maximum probability, magma on dark.
  const auto d = parse_as<Checkpoint>(R"({"type":"checkpoint","index":0})");
  EXPECT_EQ(d.request.t, 0.0f);
  EXPECT_EQ(d.request.interpolation, probe::Interpolation::Cubic);
  EXPECT_EQ(d.request.style.mode, exports::MapMode::Boundary);
  EXPECT_EQ(d.request.style.measure, exports::BoundaryMeasure::MaxProbability);
  EXPECT_EQ(d.request.style.colour_map, exports::ColourMap::Magma);
  EXPECT_EQ(d.request.style.background, exports::Background::Dark);
}

TEST(Commands, ExportGifCarriesItsFramesAndStyle) {
  const auto g =
      parse_as<ExportGif>(R"({"type":"export_gif","interp_factor":4,"frame_ms":50,"mode":"boundary","measure":"margin"})");
  EXPECT_EQ(g.request.interp_factor, 4);
  EXPECT_EQ(g.request.frame_ms, 50);
  EXPECT_EQ(g.request.style.measure, exports::BoundaryMeasure::Margin);
  const auto d = parse_as<ExportGif>(R"({"type":"export_gif"})");
  EXPECT_EQ(d.request.interp_factor, 1);
  EXPECT_EQ(d.request.frame_ms, 100);
}

TEST(Commands, BadTimelineFieldsAreRefusedByName) {
  EXPECT_EQ(refusal(R"({"type":"checkpoint"})"), "checkpoint.index: is missing");
  EXPECT_EQ(refusal(R"({"type":"checkpoint","index":-1})"), "checkpoint.index: must be an integer of at least 0, got -1");
  EXPECT_EQ(refusal(R"({"type":"checkpoint","index":1.5})"), "checkpoint.index: must be an integer of at least 0, got 1.5");
  EXPECT_EQ(refusal(R"({"type":"checkpoint","index":0,"t":1.5})"), "checkpoint.t: must be a number 0..1, got 1.5");
  EXPECT_EQ(refusal(R"({"type":"checkpoint","index":0,"mode":7})"), "checkpoint.mode: must be a string, got a number");
  EXPECT_EQ(refusal(R"({"type":"checkpoint","index":0,"mode":"blur"})").rfind("checkpoint.mode: unknown mode 'blur'", 0), 0u);
  EXPECT_EQ(refusal(R"({"type":"checkpoint","index":0,"shading":"blur"})").rfind("checkpoint.shading: ", 0), 0u);
  EXPECT_EQ(refusal(R"({"type":"checkpoint","index":0,"interp":"spline"})").rfind("checkpoint.interp: ", 0), 0u);
  EXPECT_EQ(refusal(R"({"type":"export_gif","colour_map":"rainbow"})").rfind("export_gif.colour_map: ", 0), 0u);
  EXPECT_EQ(refusal(R"({"type":"export_gif","interp_factor":0})"), "export_gif.interp_factor: must be an integer 1..20, got 0");
  EXPECT_EQ(refusal(R"({"type":"export_gif","interp_factor":21})"),
            "export_gif.interp_factor: must be an integer 1..20, got 21");
  EXPECT_EQ(refusal(R"({"type":"export_gif","frame_ms":5})"), "export_gif.frame_ms: must be an integer 20..10000, got 5");
}

}  // namespace
}  // namespace netlens::server::playground
