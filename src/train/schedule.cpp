#include "train/schedule.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/names.hpp"

namespace netlens::train {

namespace {

constexpr NameTable<ScheduleKind, 3> kScheduleNames{{
    {ScheduleKind::Default, "default"},
    {ScheduleKind::Epochs, "epochs"},
    {ScheduleKind::Both, "both"},
}};

constexpr std::array<long, 13> kEarly{50, 120, 250, 500, 1000, 2000, 3500, 5800, 8700, 13000, 19500, 28500, 40000};
constexpr double kGrowth = 1.22;  // each late point is 22 % past the previous one

long round_up(long x, long multiple) { return (x + multiple - 1) / multiple * multiple; }

}  // namespace

std::string_view schedule_kind_name(ScheduleKind kind) { return name_of(kScheduleNames, kind); }

ScheduleKind parse_schedule_kind(std::string_view name, const std::string& where) {
  return parse_name(kScheduleNames, name, where, "schedule");
}

nlohmann::json to_json(const ScheduleSpec& spec) {
  nlohmann::json j{{"kind", std::string(schedule_kind_name(spec.kind))}};
  if (spec.kind != ScheduleKind::Default) j["every_epochs"] = spec.every_epochs;
  return j;
}

ScheduleSpec parse_schedule(const nlohmann::json& j, const std::string& where) {
  if (!j.is_object() || !j.contains("kind") || !j["kind"].is_string())
    throw Error(where, "must be an object like {\"kind\": \"default\"}");
  ScheduleSpec spec;
  spec.kind = parse_schedule_kind(j["kind"].get<std::string>(), where + ".kind");
  if (spec.kind != ScheduleKind::Default) {
    if (!j.contains("every_epochs") || !j["every_epochs"].is_number_integer() || j["every_epochs"].get<long>() < 1 ||
        j["every_epochs"].get<long>() > 1000000000)
      throw Error(where + ".every_epochs", "must be an integer of at least 1");
    spec.every_epochs = j["every_epochs"].get<int>();
  }
  return spec;
}

Schedule::Schedule(ScheduleSpec spec, int train_size) : spec_(spec), train_size_(train_size) {
  if (train_size < 1) throw Error("schedule", "the training set is empty");
  if (spec.kind != ScheduleKind::Default && spec.every_epochs < 1)
    throw Error("every_epochs", "must be at least 1, got " + std::to_string(spec.every_epochs));
}

long Schedule::next_default(long seen) const {
  for (long p : kEarly)
    if (p > seen) return p;
  long p = kEarly.back();
  while (p <= seen) p = round_up(static_cast<long>(std::ceil(static_cast<double>(p) * kGrowth)), train_size_);
  return p;
}

long Schedule::next(long seen) const {
  const long every = train_size_ * spec_.every_epochs;
  const long by_epochs = every > 0 ? (seen / every + 1) * every : 0;
  switch (spec_.kind) {
    case ScheduleKind::Default: return next_default(seen);
    case ScheduleKind::Epochs: return by_epochs;
    case ScheduleKind::Both: return std::min(next_default(seen), by_epochs);
  }
  return by_epochs;
}

std::vector<long> Schedule::points(long total) const {
  std::vector<long> points{0};
  for (long p = next(0); p < total; p = next(p)) points.push_back(p);
  if (total > 0) points.push_back(total);
  return points;
}

}  // namespace netlens::train
