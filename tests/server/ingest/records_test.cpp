#include "server/ingest/records.hpp"

#include <gtest/gtest.h>

#include "server/ingest/record_builders.hpp"

namespace {

using namespace netlens::server::ingest;
using namespace ingest_test;

// A record of `meta` and `payload` as given (encode_record lays tensors out itself).
std::string raw_record(std::uint8_t kind, const json& meta, const std::string& payload) {
  std::string text = meta.dump();
  text.resize((text.size() + 7) / 8 * 8, '\0');
  std::string out = "NL";
  out += static_cast<char>(1);
  out += static_cast<char>(kind);
  const std::uint32_t lengths[3] = {static_cast<std::uint32_t>(text.size()), static_cast<std::uint32_t>(payload.size()),
                                    crc32_of(text + payload)};
  out.append(reinterpret_cast<const char*>(lengths), sizeof lengths);
  return out + text + payload;
}

std::string error_of(std::string_view body) {
  try {
    parse_records(body);
  } catch (const BadRecords& e) {
    return e.what();
  }
  return "";
}

TEST(IngestRecords, ReadsRecordsBackToBackWithTheirTensors) {
  const std::string body = hello("a", 0) + scalar("a", 1, 7, 0.25);
  const auto records = parse_records(body);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].kind, 1);
  EXPECT_EQ(records[0].meta["run"], "a");
  EXPECT_EQ(records[0].bytes.size() + records[1].bytes.size(), body.size());
  const TensorRef* value = records[1].tensor("value");
  ASSERT_NE(value, nullptr);
  EXPECT_EQ(to_doubles(*value), std::vector<double>{0.25});
  EXPECT_EQ(to_integers(*records[1].tensor("step")), std::vector<std::int64_t>{7});
  EXPECT_EQ(records[1].bytes.size() % 8, 0u);
}

TEST(IngestRecords, ReadsHalves) {
  // The records view the body's bytes: it must outlive them.
  const std::string body = encode_record(6, {{"run", "a"}}, {{"w", Dtype::F16, {2}, bytes_of(std::vector<std::uint16_t>{0x3c00, 0xc000})}});
  const auto r = parse_records(body);
  EXPECT_EQ(to_floats(r[0].tensors[0]), (std::vector<float>{1.0f, -2.0f}));
}

TEST(IngestRecords, AnEmptyBodyHoldsNoRecords) { EXPECT_TRUE(parse_records("").empty()); }

TEST(IngestRecords, UnknownKindsAreReturnedForTheCallerToSkip) {
  const std::string body = encode_record(99, {{"run", "a"}});
  const auto records = parse_records(body);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].kind, 99);
}

TEST(IngestRecords, RefusesABadMagicNamingTheRecord) {
  std::string body = hello("a", 0) + hello("a", 1);
  body[hello("a", 0).size()] = 'X';
  EXPECT_EQ(error_of(body), "record 1: bad magic: a record starts with \"NL\"");
}

TEST(IngestRecords, RefusesAWrongMajorVersionWithASentence) {
  std::string body = hello("a", 0);
  body[2] = 2;
  try {
    parse_records(body);
    FAIL();
  } catch (const BadRecords& e) {
    EXPECT_TRUE(e.wrong_version);
    EXPECT_NE(std::string(e.what()).find("ingest version 2 is not spoken here; this netlens speaks version 1"), std::string::npos);
  }
}

TEST(IngestRecords, RefusesLengthsPastTheBody) {
  const std::string body = scalar("a", 0, 1, 1.0);
  EXPECT_NE(error_of(body.substr(0, body.size() - 8)).find("record 0: its lengths"), std::string::npos);
  EXPECT_NE(error_of(body.substr(0, 10)).find("ends inside its 16-byte header"), std::string::npos);
}

TEST(IngestRecords, RefusesMetadataOverItsLimit) {
  std::string body = hello("a", 0);
  const std::uint32_t huge = 1u << 20;
  std::memcpy(body.data() + 4, &huge, 4);
  EXPECT_EQ(error_of(body), "record 0: metadata of 1048576 bytes is over its limit of 65536");
  EXPECT_NE(error_of(encode_record(1, {{"pad", std::string(70000, 'x')}})).find("over its limit"), std::string::npos);
}

TEST(IngestRecords, RefusesADamagedRecord) {
  std::string body = hello("a", 0);
  body[20] ^= 1;
  EXPECT_EQ(error_of(body), "record 0: CRC mismatch: the record was damaged");
}

TEST(IngestRecords, RefusesMetadataThatIsNotAnObject) {
  EXPECT_EQ(error_of(encode_record(1, json::array({1}))), "record 0: metadata must be a JSON object");
}

TEST(IngestRecords, RefusesATensorPastThePayload) {
  const std::string body = encode_record(6, {{"tensors", {{{"name", "w"}, {"dtype", "f32"}, {"shape", {1000}}, {"offset", 0}}}}});
  EXPECT_NE(error_of(body).find("record 0: tensor 0: its shape is larger than the payload"), std::string::npos);
  const std::string shifted =
      raw_record(6, {{"tensors", {{{"name", "w"}, {"dtype", "f32"}, {"shape", {1}}, {"offset", 8}}}}}, std::string(8, '\0'));
  EXPECT_EQ(error_of(shifted), "record 0: tensor 0: 'w' lies past the payload's end (8 bytes)");
  EXPECT_EQ(error_of(raw_record(6, {{"tensors", {{{"name", "w"}, {"dtype", "f32"}, {"shape", {1}}, {"offset", 4}}}}},
                                std::string(4, '\0'))),
            "record 0: tensor 0: 'w' lies past the payload's end (4 bytes)");
  EXPECT_NE(error_of(encode_record(6, {{"tensors", {{{"name", "w"}, {"dtype", "q7"}, {"shape", {1}}, {"offset", 0}}}}}))
                .find("dtype 'q7'"),
            std::string::npos);
}

}  // namespace
