#include "server/runs/session.hpp"

#include "core/error.hpp"
#include "server/runs/messages.hpp"
#include "train/run_folder.hpp"

namespace netlens::server::runs {

RunsSession::RunsSession(Outbox& outbox, std::filesystem::path runs_dir, const LiveRuns& live, std::size_t keep)
    : SessionActor(outbox, "netlens runs", kListPeriod), runs_dir_(std::move(runs_dir)), live_(live), keep_(keep) {
  start();
}

RunsSession::~RunsSession() { stop(); }

Command RunsSession::parse(const std::string& type, const nlohmann::json& message) const {
  return parse_command(type, message);
}

void RunsSession::begin() {
  send_text(hello_message(keep_, !runs_dir_.empty()));
  send_list(true);
}

void RunsSession::apply(Command& command) {
  std::visit([this](const auto& c) { on(c); }, command);
}

const std::filesystem::path& RunsSession::folder() const {
  if (runs_dir_.empty()) throw Error("runs", "this server saves no runs (serve --runs)");
  return runs_dir_;
}

void RunsSession::check_not_live(const std::string& run, const char* what) const {
  if (live_.writes(run))
    throw Error("run", "'" + excerpt(run) + "' is live: a session is recording it, so it cannot be " + what +
                           " until it finishes");
}

void RunsSession::on(const Rename& c) {
  train::check_run_name(c.run, "run");
  check_not_live(c.run, "renamed");
  train::rename_run(folder(), c.run, c.to);
  send_list(true);
}

void RunsSession::on(const Star& c) {
  train::star_run(folder(), c.run, c.starred);
  send_list(true);
}

void RunsSession::on(const Delete& c) {
  train::check_run_name(c.run, "run");
  check_not_live(c.run, "deleted");
  train::delete_run(folder(), c.run);
  send_list(true);
}

// Each tick lists again, and sends only a list that changed (a run saved, a live one's epoch).
void RunsSession::send_list(bool always) {
  std::string list = runs_message(runs_dir_.empty() ? std::vector<train::RunEntry>{} : train::list_runs(runs_dir_),
                                  live_.list());
  if (!always && list == last_sent_) return;
  last_sent_ = list;
  send_text(std::move(list));
}

}  // namespace netlens::server::runs
