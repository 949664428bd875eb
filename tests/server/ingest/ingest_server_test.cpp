// POST /api/ingest/v1/records over a real socket: each bad input is answered with its status and
// a sentence, the server stays up, and another run goes on streaming.
#include <gtest/gtest.h>

#include "server/net/server_fixture.hpp"
#include "server/ingest/record_builders.hpp"
#include "train/timeline.hpp"

namespace {

using namespace server_test;
using namespace ingest_test;

constexpr const char* kPath = "/api/ingest/v1/records";
constexpr const char* kType = "application/x-netlens-records";

HttpReply post(unsigned short port, const std::string& body, const HeaderFields& fields = {}, const std::string& type = kType) {
  return http_post(port, kPath, body, type, fields);
}

class Ingest : public ::testing::Test {
 protected:
  void SetUp() override {
    runs_ = netlens::test::scratch_dir() / ("ingest_runs_" + std::to_string(std::random_device{}()));
    start({});
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(runs_);
  }
  void start(const std::string& token) {
    server_.reset();
    auto options = options_for(runs_);
    options.token = token;
    auto views = test_views();
    views.runs_dir = runs_;
    server_.emplace(options, endpoints_for(views));
  }
  unsigned short port() const { return server_->port(); }
  json answer(const HttpReply& r) const { return json::parse(r.response.body()); }

  // The other run, streaming beside the bad input: it keeps being accepted.
  void other_run_goes_on() {
    const auto r = post(port(), scalar("other", next_other_++, 1, 0.5));
    ASSERT_FALSE(r.error) << r.error.message();
    EXPECT_EQ(r.response.result_int(), 200) << r.response.body();
    EXPECT_EQ(answer(r)["accepted"], 1);
  }
  void start_other_run() {
    const auto r = post(port(), hello("other", 0));
    ASSERT_EQ(r.response.result_int(), 200) << r.response.body();
    next_other_ = 1;
  }

  fs::path runs_;
  std::optional<RunningServer> server_;
  long next_other_ = 0;
};

TEST_F(Ingest, AStreamIsSavedAsARunDirectoryAndAnsweredWithFlowControl) {
  const auto r = post(port(), hello("live", 0) + model("live", 1) + scalar("live", 2, 0, 0.69) + snapshot("live", 3, 0, 0.1f));
  ASSERT_EQ(r.response.result_int(), 200) << r.response.body();
  const json a = answer(r);
  EXPECT_EQ(a["ok"], true);
  EXPECT_EQ(a["accepted"], 4);
  EXPECT_EQ(a["next_seq"]["live"], 4);
  EXPECT_EQ(a["max_bytes"], 16 * 1024 * 1024);
  EXPECT_EQ(a["retry_after_ms"], 0);
  EXPECT_EQ(r.response[http::field::content_type], "application/json");
  EXPECT_EQ(netlens::train::Timeline::open(runs_ / "live").size(), 1u);
  // A retry of what was accepted is counted as duplicates, not kept twice.
  const json again = answer(post(port(), scalar("live", 2, 0, 0.69)));
  EXPECT_EQ(again["accepted"], 0);
  EXPECT_EQ(again["duplicates"], 1);
}

TEST_F(Ingest, ARestartedServerLosesNothingAlreadyReceived) {
  ASSERT_EQ(post(port(), hello("kept", 0) + model("kept", 1) + snapshot("kept", 2, 0, 0.1f)).response.result_int(), 200);
  start({});
  const auto r = post(port(), snapshot("kept", 3, 5, 0.2f));
  ASSERT_EQ(r.response.result_int(), 200) << r.response.body();
  EXPECT_EQ(netlens::train::Timeline::open(runs_ / "kept").size(), 2u);
}

TEST_F(Ingest, ARequestWithAnOriginIsForbidden) {
  start_other_run();
  const auto r = post(port(), hello("web", 0), {{http::field::origin, "http://evil.example"}});
  EXPECT_EQ(r.response.result_int(), 403);
  EXPECT_NE(answer(r)["error"].get<std::string>().find("Origin"), std::string::npos);
  EXPECT_FALSE(fs::exists(runs_ / "web"));
  other_run_goes_on();
}

TEST_F(Ingest, AnotherContentTypeIsRefused) {
  start_other_run();
  const auto r = post(port(), hello("plain", 0), {}, "text/plain");
  EXPECT_EQ(r.response.result_int(), 415);
  EXPECT_EQ(answer(r)["error"], "the content type must be application/x-netlens-records, got 'text/plain'");
  EXPECT_EQ(post(port(), hello("none", 0), {}, "").response.result_int(), 415);
  other_run_goes_on();
}

TEST_F(Ingest, AWrongMajorVersionIsRefusedWithASentence) {
  start_other_run();
  std::string body = hello("v2", 0);
  body[2] = 2;
  const auto r = post(port(), body);
  EXPECT_EQ(r.response.result_int(), 400);
  EXPECT_EQ(answer(r)["error"],
            "record 0: ingest version 2 is not spoken here; this netlens speaks version 1 (use a client of the same netlens release)");
  other_run_goes_on();
}

TEST_F(Ingest, ABadMagicIsRefusedNamingTheRecord) {
  start_other_run();
  std::string body = hello("magic", 0) + scalar("magic", 1, 1, 1.0);
  body[hello("magic", 0).size() + 1] = 'X';
  const auto r = post(port(), body);
  EXPECT_EQ(r.response.result_int(), 400);
  EXPECT_EQ(answer(r)["error"], "record 1: bad magic: a record starts with \"NL\"");
  EXPECT_FALSE(fs::exists(runs_ / "magic"));  // nothing of a body that cannot be read is kept
  other_run_goes_on();
}

TEST_F(Ingest, ALengthPastTheBodyIsRefused) {
  start_other_run();
  const std::string body = scalar("other", 1, 1, 1.0);
  const auto r = post(port(), body.substr(0, body.size() - 8));
  EXPECT_EQ(r.response.result_int(), 400);
  EXPECT_NE(answer(r)["error"].get<std::string>().find("record 0: its lengths"), std::string::npos);
  other_run_goes_on();
}

TEST_F(Ingest, MetadataOverItsLimitIsRefused) {
  start_other_run();
  const auto r = post(port(), encode_record(1, {{"run", "big"}, {"seq", 0}, {"pad", std::string(70000, 'x')}}));
  EXPECT_EQ(r.response.result_int(), 400);
  EXPECT_NE(answer(r)["error"].get<std::string>().find("record 0: metadata of"), std::string::npos);
  other_run_goes_on();
}

TEST_F(Ingest, AnUnknownKindIsSkippedAndCounted) {
  start_other_run();
  const auto r = post(port(), encode_record(42, {{"run", "other"}, {"seq", 1}}));
  ASSERT_EQ(r.response.result_int(), 200) << r.response.body();
  EXPECT_EQ(answer(r)["skipped"], 1);
  EXPECT_EQ(answer(r)["skipped_kinds"], json::array({42}));
  next_other_ = 2;
  other_run_goes_on();
}

TEST_F(Ingest, ARecordOfARunWithoutItsHelloIsRefused) {
  const auto r = post(port(), scalar("nohello", 0, 1, 1.0));
  EXPECT_EQ(r.response.result_int(), 400);
  EXPECT_NE(answer(r)["error"].get<std::string>().find("record 0 (kind 4): run: no run named 'nohello'"), std::string::npos)
      << r.response.body();
}

TEST_F(Ingest, ABodyOverTheLimitIsRefusedBeforeItIsReadAndTheServerStaysUp) {
  start_other_run();
  // Only the header is sent: the answer comes without the server reading (or holding) the body.
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  const tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), port());
  ASSERT_FALSE(await(ioc, stream, [&](auto handler) { stream.async_connect(endpoint, handler); }));
  const std::string header = std::string("POST ") + kPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + kType +
                             "\r\nContent-Length: " + std::to_string(16 * 1024 * 1024 + 1) + "\r\n\r\n";
  ASSERT_FALSE(await(ioc, stream, [&](auto handler) { net::async_write(stream, net::buffer(header), handler); }));
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  ASSERT_FALSE(await(ioc, stream, [&](auto handler) { http::async_read(stream, buffer, response, handler); }));
  EXPECT_EQ(response.result_int(), 413);
  other_run_goes_on();
}

TEST_F(Ingest, WithATokenARequestWithoutItIsForbidden) {
  start("s3cret");
  EXPECT_EQ(post(port(), hello("tok", 0)).response.result_int(), 403);
  EXPECT_FALSE(fs::exists(runs_ / "tok"));
  const auto r = post(port(), hello("tok", 0), {{http::field::authorization, "token s3cret"}});
  EXPECT_EQ(r.response.result_int(), 200) << r.response.body();
}

TEST_F(Ingest, OnlyPostIsAnswered) {
  const auto r = http_get(port(), kPath);
  EXPECT_EQ(r.response.result_int(), 405);
}

}  // namespace
