#include "server/runs/messages.hpp"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "server/common/wire.hpp"

namespace netlens::server::runs {

using nlohmann::json;

namespace {

json loss_json(std::optional<double> loss) {
  if (!loss || !std::isfinite(*loss)) return nullptr;
  return *loss;
}

}  // namespace

std::string hello_message(std::size_t keep, bool saving) {
  json j = hello_header("runs", kProtocolVersion);
  j["keep"] = keep;
  j["saving"] = saving;
  return j.dump();
}

std::string runs_message(const std::vector<train::RunEntry>& saved, const std::vector<LiveRun>& live) {
  json runs = json::array();
  for (const auto& l : live) {
    if (!l.run.empty() && std::any_of(saved.begin(), saved.end(), [&](const auto& s) { return s.name == l.run; }))
      continue;  // shown as its directory, live
    runs.push_back({{"name", l.label},   {"dir", false},     {"source", l.source}, {"status", "live"},
                    {"view", l.view},    {"step", l.step},   {"loss", loss_json(l.loss)},
                    {"when", l.started}, {"bytes", nullptr}, {"starred", false},   {"open", json::array()}});
  }
  for (const auto& s : saved) {
    const bool is_live = std::any_of(live.begin(), live.end(), [&](const LiveRun& l) { return l.run == s.name; });
    // An ingested run's step and loss are its stream's (its manifest's, as the last request left them).
    const bool ingested = s.ingest.is_object();
    json step = s.last ? json(s.last->epoch) : json(nullptr), loss = s.last ? loss_json(s.last->train_loss) : json(nullptr);
    if (ingested) step = s.ingest.value("step", json(nullptr)), loss = s.ingest.value("last_loss", json(nullptr));
    json j{{"name", s.name},
           {"dir", true},
           {"source", s.source},
           {"status", is_live ? "live" : s.meta.automatic ? "saved" : "finished"},
           {"step", step},
           {"loss", loss},
           {"when", s.saved},
           {"bytes", s.bytes},
           {"starred", s.meta.starred},
           {"open", s.views}};
    // What the client dropped to keep training fast (scalars, snapshots superseded, ...), by kind.
    if (ingested && s.ingest.contains("dropped") && s.ingest["dropped"].is_object()) j["dropped"] = s.ingest["dropped"];
    if (ingested && s.ingest.contains("model_error")) j["warning"] = s.ingest["model_error"];
    if (!s.problem.empty()) j["problem"] = s.problem;
    runs.push_back(std::move(j));
  }
  return json{{"type", "runs"}, {"runs", std::move(runs)}}.dump();
}

}  // namespace netlens::server::runs
