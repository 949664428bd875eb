#include "server/lurk/commands.hpp"

#include <gtest/gtest.h>

#include "server/support/command_reader.hpp"
#include "support/error_text.hpp"

using namespace netlens;
using namespace netlens::server::lurk;

namespace {
Command read(const std::string& text) { return test::read_command(text, parse_command); }
std::string error_of(const std::string& text) {
  return test::error_text([&] { read(text); });
}
}  // namespace

TEST(LurkCommands, ReadsEveryCommand) {
  EXPECT_EQ(std::get<Open>(read(R"({"type":"open","model":"mnist-cnn.nlmodel"})")).model, "mnist-cnn.nlmodel");
  EXPECT_EQ(std::get<ShowLayer>(read(R"({"type":"layer","layer":3})")).layer, 3);
  const auto u = std::get<ShowUnit>(read(R"({"type":"unit","layer":3,"unit":5})"));
  EXPECT_EQ(u.layer * 10 + u.unit, 35);
  EXPECT_EQ(std::get<DreamUnit>(read(R"({"type":"dream","layer":0,"unit":1})")).unit, 1);
  EXPECT_EQ(std::get<Sample>(read(R"({"type":"sample","label":7})")).label, 7);
  const auto o = std::get<Operate>(read(R"({"type":"operate","layer":3,"unit":2,"y":1,"x":6})"));
  EXPECT_EQ(o.layer * 1000 + o.unit * 100 + o.y * 10 + o.x, 3216);
  const auto t = std::get<Explain>(read(R"({"type":"explain","test":12,"method":"score_cam","cam_layer":1,"target":4})"));
  EXPECT_EQ(t.test, 12);
  EXPECT_EQ(t.method, probe::lurk::Method::ScoreCam);
  EXPECT_EQ(t.cam_layer, 1);
  EXPECT_EQ(t.target, 4);
  const auto d = std::get<Explain>(read(R"({"type":"explain","width":2,"height":1,"pixels":[0,0.5],"method":"gradient"})"));
  EXPECT_EQ(d.test, -1);
  EXPECT_EQ(d.pixels, (std::vector<float>{0.0f, 0.5f}));
  EXPECT_EQ(d.target, -1) << "the predicted class";
  EXPECT_EQ(d.cam_layer, -1) << "the view's default CAM layer";
  const auto s = std::get<Sanity>(read(R"({"type":"sanity","method":"layer_cam","cam_layer":4})"));
  EXPECT_EQ(s.method, probe::lurk::Method::LayerCam);
  EXPECT_EQ(s.cam_layer * 10 + s.target, 39) << "cam layer 4, the predicted class (-1)";
  EXPECT_EQ(std::get<Open>(read(R"({"type":"open","model":"uploaded-theirs.onnx"})")).model, "uploaded-theirs.onnx");
  EXPECT_EQ(std::get<OpenRun>(read(R"({"type":"open_run","run":"mnist cnn 2026-12-01"})")).run, "mnist cnn 2026-12-01");
  EXPECT_EQ(std::get<Train>(read(R"({"type":"train","data":"mnist"})")).model, "cnn") << "the default";
  EXPECT_EQ(std::get<Train>(read(R"({"type":"train","data":"fashion-mnist","model":"mlp"})")).model, "mlp");
}

TEST(LurkCommands, RefusesBadValuesNamingTheField) {
  EXPECT_EQ(error_of(R"({"type":"open","model":"../etc/passwd.nlmodel"})").rfind("open.model: must be a model file's name", 0), 0u);
  EXPECT_EQ(error_of(R"({"type":"open","model":"notes.txt"})").rfind("open.model: must be a model file's name", 0), 0u);
  EXPECT_NE(error_of(R"({"type":"explain","test":1,"method":"magic"})").find("explain.method"), std::string::npos);
  EXPECT_NE(error_of(R"({"type":"explain","test":1,"method":"magic"})").find("grad_cam"), std::string::npos) << "lists the methods";
  EXPECT_EQ(error_of(R"({"type":"explain","width":2,"height":1,"pixels":[0],"method":"gradient"})"),
            "explain.pixels: must hold width × height (2) numbers, got 1");
  EXPECT_NE(error_of(R"({"type":"explain","width":1,"height":1,"pixels":[2],"method":"gradient"})").find("explain.pixels"), std::string::npos);
  EXPECT_NE(error_of(R"({"type":"unit","layer":-1,"unit":0})").find("unit.layer"), std::string::npos);
  EXPECT_NE(error_of(R"({"type":"layer","layer":1,"extra":2})").find("layer.extra: unknown key"), std::string::npos);
  EXPECT_NE(error_of(R"({"type":"sample","label":10})").find("sample.label"), std::string::npos);
  EXPECT_NE(error_of(R"({"type":"fly"})").find("unknown type 'fly'"), std::string::npos);
  EXPECT_EQ(error_of(R"({"type":"open","model":".hidden.onnx"})").rfind("open.model: must be a model file's name", 0), 0u);
  EXPECT_EQ(error_of(R"({"type":"open_run","run":"../up"})"), "open_run.run: a run name must not contain '/' or '\\', got '../up'");
  EXPECT_EQ(error_of(R"({"type":"open_run","run":""})"), "open_run.run: a run name must not be empty");
  EXPECT_EQ(error_of(R"({"type":"train","data":"mnist","model":"rnn"})"), "train.model: must be one of mlp, cnn, got 'rnn'");
}
