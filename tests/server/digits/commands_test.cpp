#include "server/digits/commands.hpp"

#include <gtest/gtest.h>

#include "server/support/command_reader.hpp"
#include "support/error_text.hpp"

using namespace netlens;
using namespace netlens::server::digits;

namespace {
Command read(const std::string& text) { return test::read_command(text, parse_command); }
std::string refusal(const std::string& text) {
  return test::error_text([&] { read(text); });
}
}  // namespace

TEST(DigitsCommands, ParsesEachCommand) {
  const auto infer = std::get<Infer>(read(R"({"type":"infer","width":2,"height":1,"pixels":[0,0.5]})"));
  EXPECT_EQ(infer.pixels, (std::vector<float>{0, 0.5f}));
  EXPECT_EQ(std::get<Sample>(read(R"({"type":"sample","label":7})")).label, 7);
  const auto train = std::get<Train>(read(R"({"type":"train","data":"fashion-mnist","model":"cnn"})"));
  EXPECT_EQ(train.data, "fashion-mnist");
  EXPECT_EQ(train.model, "cnn");
  EXPECT_TRUE(std::holds_alternative<Stop>(read(R"({"type":"stop"})")));
  EXPECT_TRUE(std::holds_alternative<Load>(read(R"({"type":"load","data":"mnist","model":"mlp"})")));
  EXPECT_EQ(std::get<Open>(read(R"({"type":"open","file":"mine.onnx"})")).file, "mine.onnx");
  EXPECT_EQ(std::get<Open>(read(R"({"type":"open","file":"mnist-cnn.nlmodel"})")).file, "mnist-cnn.nlmodel");
  EXPECT_EQ(std::get<ShowCheckpoint>(read(R"({"type":"checkpoint","index":3})")).index, 3);
  EXPECT_EQ(std::get<ShowCheckpoint>(read(R"({"type":"checkpoint","index":-1.0})")).index, -1);
}

TEST(DigitsCommands, BadMessagesSayWhatIsWrongNamingTheField) {
  EXPECT_EQ(refusal("{").rfind("message: not JSON", 0), 0u);
  EXPECT_EQ(refusal(R"({"type":"fly"})"),
            "message.type: unknown type 'fly' (known: infer, sample, train, stop, load, open, open_run, checkpoint)");
  EXPECT_EQ(std::get<OpenRun>(read(R"({"type":"open_run","run":"mnist-cnn"})")).run, "mnist-cnn");
  EXPECT_EQ(refusal(R"({"type":"open_run","run":"../x"})"), "open_run.run: a run name must not contain '/' or '\\', got '../x'");
  EXPECT_EQ(refusal(R"({"type":"open_run","run":".."})"), "open_run.run: a run name must not start with '.', got '..'");
  for (const char* bad : {"../mine.onnx", ".hidden.onnx", "a/b.nlmodel", "notes.txt", ""})
    EXPECT_EQ(refusal(nlohmann::json{{"type", "open"}, {"file", bad}}.dump()).rfind("open.file: must be a model file's name in the models folder", 0), 0u)
        << bad;
  EXPECT_EQ(refusal(R"({"type":"infer","width":2,"height":2,"pixels":[1]})"),
            "infer.pixels: must hold width × height (4) numbers, got 1");
  EXPECT_EQ(refusal(R"({"type":"infer","width":2,"height":1,"pixels":[1,"a"]})"),
            "infer.pixels: must hold numbers in [0, 1], got a string");
  EXPECT_EQ(refusal(R"({"type":"sample","label":10})"), "sample.label: must be an integer 0..9, got 10");
  EXPECT_EQ(refusal(R"({"type":"train","data":"cifar","model":"mlp"})"),
            "train.data: must be one of mnist, fashion-mnist, got 'cifar'");
  EXPECT_EQ(refusal(R"({"type":"stop","now":true})"), "stop.now: unknown key (known: type)");
  EXPECT_EQ(refusal(R"({"type":"checkpoint"})"), "checkpoint.index: is missing");
  for (const char* bad : {R"({"type":"checkpoint","index":-2})", R"({"type":"checkpoint","index":64})",
                          R"({"type":"checkpoint","index":1.5})"})
    EXPECT_EQ(refusal(bad).rfind("checkpoint.index: must be an integer -1..63, got ", 0), 0u) << refusal(bad);
}
