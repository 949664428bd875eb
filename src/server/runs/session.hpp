#pragma once
// RunsSession: the Runs view's session of one /ws/runs connection. It lists the runs folder and
// the live runs, sends the list again whenever it changes (checked once a second), and renames,
// stars and deletes runs by name. A live run cannot be renamed or deleted.
#include <chrono>
#include <filesystem>
#include <string>

#include "server/common/live_runs.hpp"
#include "server/common/session_actor.hpp"
#include "server/runs/commands.hpp"

namespace netlens::server::runs {

inline constexpr auto kListPeriod = std::chrono::seconds(1);

class RunsSession final : public SessionActor<Command> {
 public:
  // `runs_dir` empty: the server saves no runs, and the list holds only live ones. `live` and
  // `keep` (the automatic saves kept) are the server's; `live` must outlive this.
  RunsSession(Outbox& outbox, std::filesystem::path runs_dir, const LiveRuns& live, std::size_t keep);
  ~RunsSession() override;

 private:
  Command parse(const std::string& type, const nlohmann::json& message) const override;
  void begin() override;
  void apply(Command& command) override;
  bool running() const override { return true; }
  void tick() override { send_list(false); }

  void on(const List&) { send_list(true); }
  void on(const Rename& command);
  void on(const Star& command);
  void on(const Delete& command);

  void check_not_live(const std::string& run, const char* what) const;
  const std::filesystem::path& folder() const;  // throws Error when runs are not saved
  void send_list(bool always);

  std::filesystem::path runs_dir_;
  const LiveRuns& live_;
  std::size_t keep_;
  std::string last_sent_;
};

}  // namespace netlens::server::runs
