#include "server/ingest/service.hpp"

#include <nlohmann/json.hpp>

namespace netlens::server::ingest {

using nlohmann::json;

namespace {

PostReply refusal(unsigned status, const std::string& sentence, json extra = json::object()) {
  extra["ok"] = false;
  extra["error"] = sentence;
  return {status, extra.dump()};
}

}  // namespace

IngestService::IngestService(std::filesystem::path runs_dir, std::shared_ptr<LiveRuns> live)
    : runs_dir_(std::move(runs_dir)), live_(std::move(live)) {}

IngestRun& IngestService::run_for(const Record& record) {
  if (!record.meta.contains("run") || !record.meta["run"].is_string()) throw Error("run", "every record names its run");
  const std::string name = record.meta["run"].get<std::string>();
  if (!valid_run_name(name))
    throw Error("run", "'" + excerpt(name) + "' is not a run name (1 to 64 of A-Z a-z 0-9 . _ -, not starting with '.')");
  auto it = runs_.find(name);
  if (it == runs_.end()) {
    if (runs_.size() >= kMaxOpenRuns)
      throw Error("run", "this server has " + std::to_string(kMaxOpenRuns) + " ingested runs open; finish one first");
    const bool hello = record.kind == static_cast<std::uint8_t>(Kind::Hello);
    Open open{std::make_unique<IngestRun>(runs_dir_ / name, hello ? &record.meta : nullptr), {}, {}};
    if (live_) {
      open.live = live_->add("ingest", "ingested", name);
      open.live.set_run(name);
    }
    it = runs_.emplace(name, std::move(open)).first;
  }
  it->second.heard = std::chrono::steady_clock::now();
  it->second.live.keep_alive_until(it->second.heard + kIdleTimeout);
  return *it->second.run;
}

// A finished stream is closed (a later record of it reopens its directory), and so is one not
// heard from for kIdleTimeout: its client died or lost the server.
void IngestService::close_finished_and_idle() {
  const auto now = std::chrono::steady_clock::now();
  for (auto it = runs_.begin(); it != runs_.end();) {
    const bool live = it->second.run->manifest()["ingest"].value("status", "") == "live";
    it = live && now - it->second.heard < kIdleTimeout ? std::next(it) : runs_.erase(it);
  }
}

PostReply IngestService::handle(std::string_view body) {
  std::vector<Record> records;
  try {
    records = parse_records(body);
  } catch (const BadRecords& e) {
    return refusal(400, e.what(), {{"accepted", 0}});
  }
  std::lock_guard lock(mutex_);
  close_finished_and_idle();
  long accepted = 0, duplicates = 0, skipped = 0;
  json skipped_kinds = json::array(), next_seq = json::object(), warnings = json::object();
  std::vector<IngestRun*> touched;
  std::optional<PostReply> failed;
  for (std::size_t i = 0; i < records.size() && !failed; ++i) {
    const Record& r = records[i];
    try {
      IngestRun& run = run_for(r);
      if (std::find(touched.begin(), touched.end(), &run) == touched.end()) touched.push_back(&run);
      switch (run.apply(r)) {
        case Applied::Accepted: ++accepted; break;
        case Applied::Duplicate: ++duplicates; break;
        case Applied::Skipped:
          ++skipped;
          if (std::find(skipped_kinds.begin(), skipped_kinds.end(), r.kind) == skipped_kinds.end()) skipped_kinds.push_back(r.kind);
      }
    } catch (const Error& e) {
      failed = refusal(400, "record " + std::to_string(i) + " (kind " + std::to_string(r.kind) + "): " + e.what(),
                       {{"accepted", accepted}});
    } catch (const std::exception& e) {  // the disk, not the record: the client may send it again
      failed = refusal(500, "record " + std::to_string(i) + ": the server could not keep it: " + e.what(),
                       {{"accepted", accepted}, {"retry_after_ms", 5000}});
    }
  }
  try {
    for (IngestRun* run : touched) {
      run->flush();
      const std::string name = run->dir().filename().string();
      next_seq[name] = run->next_seq();
      if (auto w = run->warning()) warnings[name] = *w;
      const json& in = run->manifest()["ingest"];
      const std::optional<double> loss = in["last_loss"].is_number() ? std::optional(in["last_loss"].get<double>()) : std::nullopt;
      runs_.at(name).live.update(in["step"].is_number() ? in["step"].get<long>() : 0, loss, name);
    }
  } catch (const std::exception& e) {
    return refusal(500, e.what(), {{"retry_after_ms", 5000}});
  }
  close_finished_and_idle();
  if (failed) return *failed;
  json answer{{"ok", true},          {"accepted", accepted},   {"duplicates", duplicates},
              {"skipped", skipped},  {"skipped_kinds", skipped_kinds}, {"next_seq", next_seq},
              {"max_bytes", kMaxBodyBytes}, {"retry_after_ms", 0}};
  if (!warnings.empty()) answer["warnings"] = warnings;
  return {200, answer.dump()};
}

Endpoint ingest_endpoint(const std::filesystem::path& runs_dir, std::shared_ptr<LiveRuns> live) {
  auto service = std::make_shared<IngestService>(runs_dir, std::move(live));
  Endpoint e;
  e.path = kPath;
  e.post = [service](std::string_view body) { return service->handle(body); };
  e.content_type = kContentType;
  e.max_body = kMaxBodyBytes;
  return e;
}

}  // namespace netlens::server::ingest
