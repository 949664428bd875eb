#include "server/inside/commands.hpp"

#include <cmath>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/json_fields.hpp"

namespace netlens::server::inside {

using nlohmann::json;

namespace {

constexpr double kMaxSeed = 4294967295.0;

// Seeds run to 2^32 - 1, past an int.
std::uint64_t seed(const Fields& f, const char* key, std::uint64_t current) {
  const json* v = f.find(key);
  if (!v) return current;
  const double x = v->is_number() ? v->get<double>() : -1;
  if (!v->is_number() || !(x >= 0 && x <= kMaxSeed) || std::floor(x) != x)
    throw Error(f.path(key), "must be an integer 0.." + plain_number(kMaxSeed) + ", got " +
                                 (v->is_number() ? excerpt(v->dump(), 40) : json_kind(*v)));
  return static_cast<std::uint64_t>(x);
}

}  // namespace

train::TracedRunSpec merge_spec(const json& changes, train::TracedRunSpec s) {
  using L = train::TracedRunLimits;
  const Fields f(changes, "set_spec.spec");
  // Every key is read and every bad one named, "KEY: ...; KEY: ...": a link may carry several.
  std::vector<std::string> problems;
  const auto read = [&](auto&& apply) {
    try {
      apply();
    } catch (const Error& e) {
      problems.emplace_back(e.what());
    }
  };
  read([&] { if (auto v = f.optional_string("dataset")) s.dataset = *v; });
  read([&] { s.noise = f.optional_number("noise", 0, 50).value_or(s.noise); });
  read([&] { s.num_samples = f.optional_integer("num_samples", L::kMinSamples, L::kMaxSamples).value_or(s.num_samples); });
  read([&] { s.data_seed = seed(f, "data_seed", s.data_seed); });
  read([&] { s.seed = seed(f, "seed", s.seed); });
  read([&] {
    if (!f.has("hidden")) return;
    const json& hidden = f.array("hidden");
    if (hidden.empty() || hidden.size() > static_cast<std::size_t>(L::kMaxHiddenLayers))
      throw Error(f.path("hidden"), "must list 1.." + std::to_string(L::kMaxHiddenLayers) + " hidden layers, like [3]");
    std::vector<int> units;
    for (std::size_t i = 0; i < hidden.size(); ++i)
      units.push_back(Fields::to_integer(hidden[i], f.path("hidden") + "[" + std::to_string(i) + "]", 1, L::kMaxUnits));
    s.hidden = units;
  });
  read([&] { if (auto v = f.optional_string("activation")) s.activation = nn::parse_activation(*v, f.path("activation")); });
  read([&] { if (auto v = f.optional_string("loss")) s.loss = nn::parse_loss(*v, f.path("loss")); });
  read([&] { s.learning_rate = f.optional_number("learning_rate", 1e-6, L::kMaxLearningRate).value_or(s.learning_rate); });
  read([&] { s.epochs = f.optional_integer("epochs", 1, L::kMaxEpochs).value_or(s.epochs); });
  read([&] { s.refresh = f.optional_integer("refresh", 1, L::kMaxEpochs).value_or(s.refresh); });
  read([&] { f.refuse_unknown(); });
  if (!problems.empty()) {
    std::string all;
    for (const auto& p : problems) all += (all.empty() ? "" : "; ") + p;
    throw Error(all);
  }
  try {
    train::validate(s);
  } catch (const Error& e) {
    throw Error(f.path() + "." + e.what());  // "set_spec.spec.refresh: must be ..."
  }
  return s;
}

View merge_view(const json& changes, View v) {
  const Fields f(changes, "set_view");
  f.has("type");
  v.layer = f.optional_integer("layer", -1, train::TracedRunLimits::kMaxHiddenLayers - 1).value_or(v.layer);
  v.dims = f.optional_integer("dims", 2, 3).value_or(v.dims);
  if (auto d = f.optional_string("directions")) {
    if (*d != "random" && *d != "weights") throw Error(f.path("directions"), "must be random or weights, got '" + excerpt(*d) + "'");
    v.weight_axes = *d == "weights";
  }
  v.first = f.optional_integer("first", 0, 1'000'000).value_or(v.first);
  v.second = f.optional_integer("second", 0, 1'000'000).value_or(v.second);
  v.extent = f.optional_number("extent", 0.01, 100).value_or(v.extent);
  v.direction_seed = seed(f, "seed", v.direction_seed);
  f.refuse_unknown();
  return v;
}

Command parse_command(const std::string& type, const json& message) {
  const Fields f(message, type);
  f.has("type");
  Command command = Play{};
  if (type == "set_spec") {
    merge_spec(f.at("spec"), {});  // checks every key
    command = SetSpec{f.at("spec")};
  } else if (type == "set_view") {
    merge_view(message, {});
    return SetView{message};
  } else if (type == "probe") {
    command = Probe{static_cast<float>(f.number("x1", -100, 100)), static_cast<float>(f.number("x2", -100, 100))};
  } else if (type == "play") {
    command = Play{};
  } else if (type == "pause") {
    command = Pause{};
  } else if (type == "step") {
    command = Step{};
  } else if (type == "reset") {
    command = Reset{};
  } else if (type == "stop") {
    command = Stop{};
  } else {
    throw Error("message.type", "unknown type '" + excerpt(type) + "' (known: set_spec, set_view, play, pause, step, reset, stop, probe)");
  }
  f.refuse_unknown();
  return command;
}

}  // namespace netlens::server::inside
