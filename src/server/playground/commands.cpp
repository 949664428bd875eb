#include "server/playground/commands.hpp"

#include <cmath>

#include "core/error.hpp"
#include "core/json_fields.hpp"
#include "core/names.hpp"

namespace netlens::server::playground {

using nlohmann::json;

namespace {

constexpr NameTable<train::PruneBy, 2> kPruneByNames{{
    {train::PruneBy::OutgoingWeight, "weight"},
    {train::PruneBy::Activation, "activation"},
}};

// An optional string field read by `parse` (one of the exports' or probe's name parsers).
template <class T, class Parse>
void style_field(const Fields& f, const char* key, T& value, Parse parse) {
  if (auto name = f.optional_string(key)) value = parse(*name, f.path(key));
}

// The fields checkpoint and export_gif share: how to interpolate and draw.
TimelineRequest timeline_request(const Fields& f) {
  TimelineRequest r;
  style_field(f, "interp", r.interpolation, probe::parse_interpolation);
  style_field(f, "mode", r.style.mode, exports::parse_map_mode);
  style_field(f, "measure", r.style.measure, exports::parse_boundary_measure);
  style_field(f, "shading", r.style.shading, exports::parse_region_shading);
  style_field(f, "colour_map", r.style.colour_map, exports::parse_colour_map);
  style_field(f, "background", r.style.background, exports::parse_background);
  return r;
}

const json& object(const Fields& f, const char* key) {
  f.object(key);  // checks that it is one
  return f.at(key);
}

float coordinate(const Fields& f, const char* key) {
  return static_cast<float>(f.number(key, -data::kDomainMax, data::kDomainMax));
}

Command read(const std::string& type, const Fields& f) {
  if (type == "play") return Play{};
  if (type == "pause") return Pause{};
  if (type == "step") return Step{};
  if (type == "reset") return Reset{};
  if (type == "export") return Export{};
  if (type == "list_runs") return ListRuns{};
  if (type == "open_run") return OpenRun{f.string("run"), f.optional_boolean("follow").value_or(false)};
  if (type == "set_spec") return SetSpec{object(f, "spec")};
  if (type == "import") return Import{object(f, "model")};
  if (type == "set_run")
    return SetRun{f.optional_integer("epochs_per_frame", 1, 1000), f.optional_integer("stop_epoch"),
                  f.optional_number("stop_test_loss", 0, 1e6)};
  if (type == "set_param")
    return SetParam{f.integer("layer"), f.integer("unit"), f.optional_integer("input", -1).value_or(-1),
                    static_cast<float>(f.number("value", -1e6, 1e6))};
  if (type == "add_point") return AddPoint{{coordinate(f, "x1"), coordinate(f, "x2"), static_cast<float>(f.number("label", -1e6, 1e6))}};
  if (type == "upload_csv") return UploadCsv{f.string("name"), f.string("text"), f.optional_boolean("rescale").value_or(false)};
  if (type == "prune")
    return Prune{f.optional_integer("layer").value_or(0), f.integer("count", 1),
                 f.optional_name("by", kPruneByNames, "ranking").value_or(train::PruneBy::OutgoingWeight)};
  if (type == "checkpoint") {
    Checkpoint c{timeline_request(f)};
    c.request.index = f.integer("index");
    c.request.t = static_cast<float>(f.optional_number("t", 0, 1).value_or(0));
    return c;
  }
  if (type == "export_gif") {
    ExportGif g{timeline_request(f)};
    g.request.interp_factor = f.optional_integer("interp_factor", 1, kMaxInterpFactor).value_or(1);
    g.request.frame_ms = f.optional_integer("frame_ms", 20, 10000).value_or(100);
    return g;
  }
  throw Error("message.type", "unknown type '" + excerpt(type) +
                                  "' (known: play, pause, step, reset, set_spec, set_run, set_param, add_point, "
                                  "upload_csv, prune, export, import, list_runs, open_run, checkpoint, export_gif)");
}

}  // namespace

Command parse_command(const std::string& type, const json& message) {
  return read_object(message, type, [&](const Fields& f) {
    f.has("type");
    return read(type, f);
  });
}

RunSettings apply_run_settings(RunSettings s, const SetRun& c) {
  if (c.epochs_per_frame) s.epochs_per_frame = *c.epochs_per_frame;
  if (c.stop_epoch) s.stop_epoch = *c.stop_epoch;
  if (c.stop_test_loss) s.stop_test_loss = *c.stop_test_loss;
  return s;
}

}  // namespace netlens::server::playground
