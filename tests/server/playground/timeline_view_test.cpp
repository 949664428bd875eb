#include "server/playground/timeline_view.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include "core/error.hpp"
#include "export/gif.hpp"
#include "export/timeline_frames.hpp"
#include "server/playground/session.hpp"
#include "support/bytes.hpp"
#include "support/scratch.hpp"

namespace netlens::server::playground {
namespace {

namespace fs = std::filesystem;

// A live-style session with its in-memory timeline, trained `epochs` epochs, and the same run
// recorded on disk the way `netlens train --run-dir` records it.
struct Runs {
  train::Session live{train::RunSpec{}};
  probe::OutputGrid grid{live, kGridResolution};
  probe::UnitMaps units{live, kUnitGrid, grid.domain()};
  train::SnapshotStore memory{live, {}, kMaxLiveCheckpoints};
  fs::path dir = test::scratch_dir() / "timeline_view";
  std::optional<train::SnapshotStore> disk;
  train::Session recorded{train::RunSpec{}};

  explicit Runs(int epochs) {
    fs::remove_all(dir);
    disk.emplace(dir, recorded, train::ScheduleSpec{});
    memory.record(live);
    disk->record(recorded);
    for (int e = 0; e < epochs; ++e) {
      memory.train_epoch(live);
      disk->train_epoch(recorded);
    }
    disk->flush();
  }
  ~Runs() { fs::remove_all(dir); }
};

TEST(TimelineView, ACheckpointIsDrawnAsNetlensRenderDrawsItFromTheRunDirectory) {
  Runs runs(4);
  TimelineView view(runs.live, runs.grid.domain(), kGridResolution);
  TimelineRequest request;
  request.index = 3;
  const std::string first = view.checkpoint(runs.live, runs.memory, request, runs.grid, runs.units, 1);
  const std::string again = view.checkpoint(runs.live, runs.memory, request, runs.grid, runs.units, 1);
  EXPECT_EQ(first, again);
  ASSERT_EQ(first.substr(0, 4), "NLCP");
  ASSERT_EQ(test::u32_at(first, 16), static_cast<std::uint32_t>(kTimelineMapSize));

  // The same checkpoint read back from disk, drawn by MapRenderer directly.
  const auto timeline = train::Timeline::open(runs.dir);
  train::Session restored(timeline.spec());
  timeline.restore(3, restored);
  probe::ProbabilityMap map(restored, probe::square_grid(runs.grid.domain(), kGridResolution));
  exports::MapRenderer renderer({}, 2, map.grid(), kTimelineMapSize, kTimelineMapSize);
  const auto& c = timeline.checkpoints()[3];
  const std::string title = exports::frame_title(static_cast<double>(c.examples) / 250, c.test_loss);
  const auto rgba = exports::to_rgba(renderer.render(map.compute(restored).data(), restored.train_set().points, title),
                                     renderer.palette());
  const std::size_t bytes = rgba.size();
  ASSERT_GE(first.size(), 24 + bytes);
  EXPECT_EQ(std::memcmp(first.data() + 24, rgba.data(), bytes), 0) << "the page's map is netlens render's frame";

  // Then the network at that checkpoint, as an NLFR frame: its parameters are the snapshot's.
  const std::string frame = first.substr(24 + bytes);
  ASSERT_EQ(frame.substr(0, 4), "NLFR");
  const std::vector<float> weights = timeline.load(3).weights;
  const std::size_t params_at = 28 + 4 * kGridResolution * kGridResolution;
  EXPECT_EQ(test::u32_at(frame, 24), weights.size());
  EXPECT_EQ(std::memcmp(frame.data() + params_at, weights.data(), 4 * weights.size()), 0);
}

TEST(TimelineView, DrawingLeavesTheLiveWeightsAsTheyWere) {
  Runs runs(3);
  const std::vector<float> before = train::capture_weights(runs.live.network());
  TimelineView view(runs.live, runs.grid.domain(), kGridResolution);
  TimelineRequest request;
  request.index = 1;
  request.t = 0.5f;
  view.checkpoint(runs.live, runs.memory, request, runs.grid, runs.units, 1);
  request.interp_factor = 2;
  view.gif(runs.live, runs.memory, request, 1);
  EXPECT_EQ(train::capture_weights(runs.live.network()), before);
}

TEST(TimelineView, BetweenTwoCheckpointsTheMapIsBetweenThem) {
  Runs runs(3);
  TimelineView view(runs.live, runs.grid.domain(), kGridResolution);
  TimelineRequest at;
  at.index = 1;
  const std::string a = view.checkpoint(runs.live, runs.memory, at, runs.grid, runs.units, 1);
  at.t = 0.5f;
  const std::string middle = view.checkpoint(runs.live, runs.memory, at, runs.grid, runs.units, 1);
  at.index = 2;
  at.t = 0;
  const std::string b = view.checkpoint(runs.live, runs.memory, at, runs.grid, runs.units, 1);
  const std::size_t map_bytes = 4 * kTimelineMapSize * kTimelineMapSize;
  EXPECT_NE(a.compare(24, map_bytes, middle, 24, map_bytes), 0);
  EXPECT_NE(b.compare(24, map_bytes, middle, 24, map_bytes), 0);
  // The network shown is the checkpoint's at or before the position.
  EXPECT_EQ(a.substr(24 + map_bytes + 28), middle.substr(24 + map_bytes + 28));
}

TEST(TimelineView, APositionTheTimelineLacksIsRefusedNamingTheField) {
  Runs runs(1);  // 0, 50, 120, 250 examples
  TimelineView view(runs.live, runs.grid.domain(), kGridResolution);
  TimelineRequest request;
  request.index = 4;
  try {
    view.checkpoint(runs.live, runs.memory, request, runs.grid, runs.units, 1);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "index: must be 0..3, got 4");
  }
  request.index = 3;
  request.t = 0.5f;
  EXPECT_THROW(view.checkpoint(runs.live, runs.memory, request, runs.grid, runs.units, 1), Error);
}

TEST(TimelineView, TheGifHasAFramePerPositionAndStartsGif89a) {
  Runs runs(2);  // 0, 50, 120, 250, 500 examples
  TimelineView view(runs.live, runs.grid.domain(), kGridResolution);
  TimelineRequest request;
  request.interp_factor = 3;
  const std::string reply = view.gif(runs.live, runs.memory, request, 5);
  ASSERT_EQ(reply.substr(0, 4), "NLGF");
  EXPECT_EQ(test::u32_at(reply, 4), 5u);
  EXPECT_EQ(test::u32_at(reply, 8), 4u * 3 + 1);
  EXPECT_EQ(reply.substr(12, 6), "GIF89a");
}

TEST(TimelineView, ARegressionRunHasNoMapButItsNetwork) {
  train::Session live(train::parse_run_spec(nlohmann::json{{"dataset", "plane"}}));
  probe::OutputGrid grid(live, kGridResolution);
  probe::UnitMaps units(live, kUnitGrid, grid.domain());
  train::SnapshotStore store(live, {}, 8);
  store.record(live);
  TimelineView view(live, grid.domain(), kGridResolution);
  const std::string reply = view.checkpoint(live, store, {}, grid, units, 1);
  EXPECT_EQ(test::u32_at(reply, 16), 0u);
  EXPECT_EQ(reply.substr(24, 4), "NLFR");
  EXPECT_THROW(view.gif(live, store, {}, 1), Error);
}

}  // namespace
}  // namespace netlens::server::playground
