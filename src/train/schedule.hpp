#pragma once
// Schedule: when a run takes its snapshots, counted in training examples seen (an epoch is
// train_size of them). Every schedule starts at 0, before the first step.
//   default  dense early, sparse later: after 50, 120, 250, 500, 1k, 2k, 3.5k, 5.8k, 8.7k, 13k,
//            19.5k, 28.5k and 40k examples, then each point 22 % past the previous one, rounded
//            up to a whole epoch. A 10,000-epoch run of 250 training points has 35 checkpoints.
//   epochs   every N epochs ("epoch skipping").
//   both     the union of the two.
// A snapshot is taken at the first step boundary at or past a point, so early points fall
// inside the first epochs (a step is one mini-batch).
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace netlens::train {

enum class ScheduleKind { Default, Epochs, Both };

struct ScheduleSpec {
  ScheduleKind kind = ScheduleKind::Default;
  int every_epochs = 0;  // for epochs and both: 1 or more
};

std::string_view schedule_kind_name(ScheduleKind kind);
ScheduleKind parse_schedule_kind(std::string_view name, const std::string& where);  // throws Error
nlohmann::json to_json(const ScheduleSpec& spec);
ScheduleSpec parse_schedule(const nlohmann::json& j, const std::string& where);  // throws Error

class Schedule {
 public:
  // Throws Error when an epochs schedule has every_epochs < 1 or train_size < 1.
  Schedule(ScheduleSpec spec, int train_size);

  long next(long examples_seen) const;        // the first point after examples_seen
  std::vector<long> points(long total) const;  // 0, the points before total, and total itself

  const ScheduleSpec& spec() const { return spec_; }

 private:
  long next_default(long examples_seen) const;

  ScheduleSpec spec_;
  long train_size_;
};

}  // namespace netlens::train
