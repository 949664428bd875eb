#pragma once
// IngestService: POST /api/ingest/v1/records (docs/protocol.md "Ingest"). Reads a body of
// records, hands each to its run (a run directory under the server's runs folder, created by
// the stream's hello) and answers JSON with flow control. Thread-safe: requests of several
// connections are applied one at a time. An open stream is registered in the server's LiveRuns,
// so the Runs page shows it live with its step and loss, until its goodbye or until it has not
// been heard from for kIdleTimeout.
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "server/common/live_runs.hpp"
#include "server/ingest/run_writer.hpp"
#include "server/net/endpoint.hpp"

namespace netlens::server::ingest {

inline constexpr const char* kPath = "/api/ingest/v1/records";
inline constexpr const char* kContentType = "application/x-netlens-records";
inline constexpr std::size_t kMaxOpenRuns = 64;  // streams not finished; a finished one is closed
inline constexpr auto kIdleTimeout = std::chrono::seconds(60);  // the client sends a heartbeat every 5 s

class IngestService {
 public:
  // `live` may be null (no registry); it outlives the registrations this holds.
  IngestService(std::filesystem::path runs_dir, std::shared_ptr<LiveRuns> live);
  PostReply handle(std::string_view body);

 private:
  struct Open {
    std::unique_ptr<IngestRun> run;
    LiveRuns::Registration live;
    std::chrono::steady_clock::time_point heard;
  };
  IngestRun& run_for(const Record& record);
  void close_finished_and_idle();

  std::filesystem::path runs_dir_;
  std::shared_ptr<LiveRuns> live_;  // before runs_: destroyed after their registrations
  std::mutex mutex_;
  std::map<std::string, Open> runs_;
};

// The endpoint table's row (server/endpoints.cpp).
Endpoint ingest_endpoint(const std::filesystem::path& runs_dir, std::shared_ptr<LiveRuns> live);

}  // namespace netlens::server::ingest
