// Fuzz target: a run spec file's text, read as `netlens train --spec` reads it (parse_json, then
// parse_run_spec). Any input must either give a spec within the limits or throw netlens::Error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/json.hpp"
#include "train/run_spec.hpp"

using namespace netlens;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const train::RunSpec spec = train::parse_run_spec(parse_json(text, "spec.json"));
    // An accepted spec is within the limits and survives a round trip.
    if (spec.hidden_layers.size() > train::Limits::kMaxHiddenLayers) std::abort();
    for (const auto& l : spec.hidden_layers)
      if (l.units < 1 || l.units > train::Limits::kMaxUnits) std::abort();
    if (spec.batch_size < 1 || spec.batch_size > spec.num_samples) std::abort();
    if (train::to_json(train::parse_run_spec(train::to_json(spec))) != train::to_json(spec)) std::abort();
  } catch (const Error&) {
  }
  return 0;
}
