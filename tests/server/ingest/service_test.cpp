// IngestService and the server's LiveRuns: a stream is listed live with its step and loss while
// it streams, and no more after its goodbye or once it is not heard from.
#include "server/ingest/service.hpp"

#include <gtest/gtest.h>

#include "server/ingest/record_builders.hpp"
#include "support/scratch.hpp"

namespace {

using namespace netlens::server;
using namespace netlens::server::ingest;
using namespace ingest_test;
namespace fs = std::filesystem;

TEST(IngestService, AStreamIsLiveUntilItsGoodbye) {
  const fs::path runs = netlens::test::scratch_dir() / "ingest_service_live";
  fs::remove_all(runs);
  auto registry = std::make_shared<LiveRuns>();
  const LiveRuns& live = *registry;
  IngestService service(runs, registry);
  ASSERT_EQ(service.handle(hello("s", 0) + scalar("s", 1, 7, 0.25)).status, 200u);
  auto list = live.list();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].source, "ingested");
  EXPECT_EQ(list[0].run, "s");
  EXPECT_EQ(list[0].step, 7);
  EXPECT_EQ(list[0].loss, 0.25);
  EXPECT_TRUE(live.writes("s"));
  ASSERT_EQ(service.handle(scalar("s", 2, 8, 0.125)).status, 200u);
  EXPECT_EQ(live.list().at(0).step, 8);
  EXPECT_EQ(live.list().at(0).loss, 0.125);
  ASSERT_EQ(service.handle(goodbye("s", 3)).status, 200u);
  EXPECT_TRUE(live.list().empty());
  EXPECT_FALSE(live.writes("s"));
}

TEST(LiveRuns, ARunNotHeardFromIsNoLongerListed) {
  LiveRuns live;
  auto r = live.add("ingest", "ingested", "quiet");
  r.set_run("quiet");
  r.keep_alive_until(std::chrono::steady_clock::now() + std::chrono::hours(1));
  EXPECT_EQ(live.list().size(), 1u);
  r.keep_alive_until(std::chrono::steady_clock::now() - std::chrono::seconds(1));
  EXPECT_TRUE(live.list().empty());
  EXPECT_FALSE(live.writes("quiet"));
}

}  // namespace
