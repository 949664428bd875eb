#include "server/digits/messages.hpp"

#include <gtest/gtest.h>

#include <cstring>

#include "core/error.hpp"

using namespace netlens;
using namespace netlens::server;

namespace {
std::string refusal(const std::string& text) {
  try {
    parse_digits_command(text);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(DigitsProtocol, ParsesEachCommand) {
  const auto infer = parse_digits_command(R"({"type":"infer","width":2,"height":1,"pixels":[0,0.5]})");
  EXPECT_EQ(infer.type, DigitsCommandType::Infer);
  EXPECT_EQ(infer.pixels, (std::vector<float>{0, 0.5f}));
  EXPECT_EQ(parse_digits_command(R"({"type":"sample","label":7})").label, 7);
  const auto train = parse_digits_command(R"({"type":"train","data":"fashion-mnist","model":"cnn"})");
  EXPECT_EQ(train.type, DigitsCommandType::Train);
  EXPECT_EQ(train.data, "fashion-mnist");
  EXPECT_EQ(train.model, "cnn");
  EXPECT_EQ(parse_digits_command(R"({"type":"stop"})").type, DigitsCommandType::Stop);
  EXPECT_EQ(parse_digits_command(R"({"type":"load","data":"mnist","model":"mlp"})").type, DigitsCommandType::Load);
  const auto checkpoint = parse_digits_command(R"({"type":"checkpoint","index":3})");
  EXPECT_EQ(checkpoint.type, DigitsCommandType::Checkpoint);
  EXPECT_EQ(checkpoint.index, 3);
  EXPECT_EQ(parse_digits_command(R"({"type":"checkpoint","index":-1})").index, -1);
}

TEST(DigitsProtocol, BadMessagesSayWhatIsWrong) {
  EXPECT_EQ(refusal("{").rfind("message: not JSON", 0), 0u);
  EXPECT_EQ(refusal(R"({"type":"fly"})"), "type: unknown type 'fly' (known: infer, sample, train, stop, load, checkpoint)");
  EXPECT_EQ(refusal(R"({"type":"infer","width":2,"height":2,"pixels":[1]})"),
            "infer: \"pixels\" must be an array of width × height (4) numbers");
  EXPECT_EQ(refusal(R"({"type":"sample","label":10})"), "sample: \"label\" must be an integer 0..9");
  EXPECT_EQ(refusal(R"({"type":"train","data":"cifar","model":"mlp"})"),
            "train: \"data\" must be one of mnist, fashion-mnist, got 'cifar'");
  for (const char* bad : {R"({"type":"checkpoint"})", R"({"type":"checkpoint","index":-2})", R"({"type":"checkpoint","index":64})",
                          R"({"type":"checkpoint","index":1.5})"})
    EXPECT_EQ(refusal(bad), "checkpoint: \"index\" must be an integer -1..63 (-1: the current weights)") << bad;
}

TEST(DigitsProtocol, TensorFramesCarryShapesAndValues) {
  Tensor a({2, 3}), empty(Shape{0});
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<float>(i);
  const std::string f = encode_tensors("NLDA", 9, {&a, &empty});
  auto u32 = [&](std::size_t at) {
    std::uint32_t v;
    std::memcpy(&v, f.data() + at, 4);
    return v;
  };
  EXPECT_EQ(f.substr(0, 4), "NLDA");
  EXPECT_EQ(u32(4), 9u);
  EXPECT_EQ(u32(8), 2u);
  EXPECT_EQ(u32(12), 2u);  // rank
  EXPECT_EQ(u32(16), 2u);
  EXPECT_EQ(u32(20), 3u);
  float last;
  std::memcpy(&last, f.data() + 24 + 5 * 4, 4);
  EXPECT_EQ(last, 5.0f);
  EXPECT_EQ(u32(48), 1u);  // the empty tensor: rank 1, dim 0
  EXPECT_EQ(u32(52), 0u);
  EXPECT_EQ(f.size(), 56u);
}
