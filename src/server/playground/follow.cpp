#include "server/playground/follow.hpp"

#include <optional>

#include "core/error.hpp"
#include "core/json.hpp"

namespace netlens::server::playground {

FollowedRun::FollowedRun(std::filesystem::path dir, train::Session& session) : dir_(std::move(dir)) {
  const auto run = train::Timeline::open(dir_);
  shown_ = run.size();
  if (shown_ > 0) session.start_at(run.checkpoints().back().epoch, run.checkpoints().back().examples);
  looked_ = std::chrono::steady_clock::now();
  read_dropped();
}

void FollowedRun::read_dropped() {
  try {
    const nlohmann::json m = read_json_file((dir_ / train::kManifestName).string(), "manifest");
    const nlohmann::json& d = m["ingest"]["dropped"];
    if (d.is_object()) dropped_ = d;
  } catch (const std::exception&) {
    // being replaced (atomically) or deleted: the counts of the last look stay
  }
}

bool FollowedRun::catch_up(train::Session& session, train::SnapshotStore& timeline) {
  const auto now = std::chrono::steady_clock::now();
  if (now - looked_ < kLookEvery) return false;
  looked_ = now;
  std::optional<train::Timeline> run;
  try {
    run = train::Timeline::open(dir_);
  } catch (const Error&) {
    return false;  // the manifest is being replaced (atomically) or the run was deleted: look again later
  }
  const nlohmann::json before = dropped_;
  read_dropped();
  if (run->size() <= shown_) return dropped_ != before;
  for (std::size_t i = shown_; i < run->size(); ++i) {
    const auto& c = run->checkpoints()[i];
    run->restore(i, session);
    session.start_at(c.epoch, c.examples);  // the run's, so the timeline's checkpoint sits where it was taken
    timeline.record(session);
  }
  shown_ = run->size();
  return true;
}

}  // namespace netlens::server::playground
