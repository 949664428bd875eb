#pragma once
// FollowedRun: an ingested run a Playground session follows (its training runs elsewhere, a
// PyTorch script streaming into the run directory, server/ingest). Now and then it looks at the
// run's manifest; each checkpoint that arrived since goes into the session's network and its
// live timeline, at the run's epoch and examples seen, so the page shows the network, its maps
// and the Timeline's marker where the training is. It also reads what the client dropped
// (manifest ingest.dropped), for the page's banner.
#include <chrono>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "train/session.hpp"
#include "train/timeline.hpp"

namespace netlens::server::playground {

class FollowedRun {
 public:
  // Follows `dir` from the checkpoints it holds now: `session` has opened its last, and takes its
  // epoch and examples seen.
  FollowedRun(std::filesystem::path dir, train::Session& session);

  std::string name() const { return dir_.filename().string(); }
  // At most every kLookEvery: records each new checkpoint of the run in `timeline`, with its
  // weights, epoch and examples in `session`; returns whether there was any.
  bool catch_up(train::Session& session, train::SnapshotStore& timeline);
  // The client's drop counts by kind ({"scalars": 3, "snapshots_superseded": 12}); {} when none.
  const nlohmann::json& dropped() const { return dropped_; }

  static constexpr auto kLookEvery = std::chrono::milliseconds(250);

 private:
  void read_dropped();

  std::filesystem::path dir_;
  std::size_t shown_ = 0;  // its checkpoints in the session's timeline
  std::chrono::steady_clock::time_point looked_{};
  nlohmann::json dropped_ = nlohmann::json::object();
};

}  // namespace netlens::server::playground
