#include "server/common/wire.hpp"

#include <gtest/gtest.h>

#include <cstring>

namespace netlens::server {
namespace {

using nlohmann::json;

TEST(Wire, HelloNamesTheViewItsProtocolAndTheVersion) {
  const json hello = hello_header("inside", 7);
  EXPECT_EQ(hello["type"], "hello");
  EXPECT_EQ(hello["view"], "inside");
  EXPECT_EQ(hello["protocol"], 7);
  EXPECT_TRUE(hello["version"].is_string());
}

TEST(Wire, AnErrorCarriesTheCommandItAnswersOrNull) {
  const json answer = json::parse(error_message("checkpoint", "checkpoint: index: no checkpoint 40"));
  EXPECT_EQ(answer, (json{{"type", "error"}, {"command", "checkpoint"}, {"message", "checkpoint: index: no checkpoint 40"}}));
  EXPECT_TRUE(json::parse(error_message(std::nullopt, "message: not JSON"))["command"].is_null());
}

TEST(Wire, AnErrorQuotingBytesThatAreNotUtf8IsStillValidJson) {
  const std::string bad = "unknown type '\xc3\x28\xff'";
  const json answer = json::parse(error_message(std::string_view("\xff\xfe", 2), bad));
  EXPECT_EQ(answer["type"], "error");
  EXPECT_NE(answer["message"].get<std::string>().find("unknown type"), std::string::npos);
}

TEST(Wire, TensorFrameHasMagicSeqCountThenRankDimsAndValues) {
  Tensor a({2, 3}), b({4});
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<float>(i);
  b[3] = -1.5f;
  const std::string bytes = encode_tensors("NLXX", 9, {&a, &b});
  ASSERT_EQ(bytes.size(), 4u + 8u + (4u + 8u + 24u) + (4u + 4u + 16u));
  EXPECT_EQ(bytes.substr(0, 4), "NLXX");
  std::uint32_t u[6];
  std::memcpy(u, bytes.data() + 4, sizeof u);
  EXPECT_EQ(u[0], 9u);  // seq
  EXPECT_EQ(u[1], 2u);  // tensors
  EXPECT_EQ(u[2], 2u);  // rank of a
  EXPECT_EQ(u[3], 2u);
  EXPECT_EQ(u[4], 3u);
  float v[6];
  std::memcpy(v, bytes.data() + 24, sizeof v);
  EXPECT_EQ(v[5], 5.0f);
  float last;
  std::memcpy(&last, bytes.data() + bytes.size() - 4, 4);
  EXPECT_EQ(last, -1.5f);
}

TEST(Wire, DomainHasItsFourBounds) {
  EXPECT_EQ(domain_json({-1, 2, -3, 4}), (json{{"x_min", -1}, {"x_max", 2}, {"y_min", -3}, {"y_max", 4}}));
}

}  // namespace
}  // namespace netlens::server
