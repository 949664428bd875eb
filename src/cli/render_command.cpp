// netlens render --run DIR --out FILE.gif|.mp4|.png [--mode boundary|region] [--interp K] ...:
// draws a recorded run's class-probability maps, checkpoint by checkpoint (with K - 1
// interpolated frames between consecutive ones), into an animated GIF, an MP4 video, or, for
// one checkpoint, a PNG.
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <variant>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/progress_bar.hpp"
#include "core/error.hpp"
#include "export/gif.hpp"
#include "export/map_render.hpp"
#include "export/png.hpp"
#include "export/timeline_frames.hpp"
#include "export/video.hpp"
#include "probe/interpolate.hpp"
#include "probe/probability_map.hpp"
#include "train/timeline.hpp"

namespace netlens::cli {

namespace {

struct RenderOptions {
  std::string run_dir, out;
  std::string mode = "boundary", measure = "max", shading = "argmax", colour_map = "magma", background = "dark";
  std::string interpolation = "cubic";
  int interp = 1;
  int size = 400;
  int frame_ms = 100;
  int checkpoint = -1;
  int grid = 100;
  double per_unit = 0;
  std::vector<double> domain;
  bool no_title = false, no_points = false;
};

std::string extension_of(const std::string& path) {
  const auto dot = path.rfind('.');
  std::string ext = dot == std::string::npos ? "" : path.substr(dot + 1);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

probe::Grid make_grid(const RenderOptions& o, const train::Session& session) {
  probe::Domain domain = o.per_unit > 0 ? probe::data_extent(session) : probe::Domain{};
  if (!o.domain.empty()) {
    domain = {o.domain[0], o.domain[1], o.domain[2], o.domain[3]};
    if (!(domain.x_min < domain.x_max && domain.y_min < domain.y_max))
      throw Error("--domain", "must be X_MIN X_MAX Y_MIN Y_MAX with each minimum below its maximum");
  }
  return o.per_unit > 0 ? probe::grid_per_unit(domain, o.per_unit) : probe::square_grid(domain, o.grid);
}

// The longer side is `size` pixels; the other follows the domain's aspect, rounded to even.
std::pair<int, int> frame_size(int size, const probe::Domain& d) {
  const double aspect = (d.y_max - d.y_min) / (d.x_max - d.x_min);
  auto even = [](double v) { return std::max(16, 2 * static_cast<int>(std::lround(v / 2))); };
  return aspect <= 1 ? std::pair{size, even(size * aspect)} : std::pair{even(size / aspect), size};
}

int run_render(const RenderOptions& o) {
  const std::string ext = extension_of(o.out);
  if (ext != "gif" && ext != "mp4" && ext != "png")
    throw Error("--out", "must end in .gif, .mp4 or .png, got '" + o.out + "'");
  const std::filesystem::path folder = std::filesystem::path(o.out).parent_path();
  if (!folder.empty() && !std::filesystem::is_directory(folder))
    throw Error("--out", "the folder " + folder.string() + " does not exist");
  const train::Timeline timeline = train::Timeline::open(o.run_dir);
  if (timeline.size() == 0) throw Error(o.run_dir, "the run has no checkpoints");
  if (o.checkpoint >= static_cast<int>(timeline.size()))
    throw Error("--checkpoint", "the run has checkpoints 0.." + std::to_string(timeline.size() - 1) + ", got " +
                                    std::to_string(o.checkpoint));

  // Which checkpoints: one (--checkpoint, or the last for a PNG) or all of them.
  std::vector<std::size_t> chosen;
  if (o.checkpoint >= 0 || ext == "png")
    chosen.push_back(o.checkpoint >= 0 ? static_cast<std::size_t>(o.checkpoint) : timeline.size() - 1);
  else
    for (std::size_t i = 0; i < timeline.size(); ++i) chosen.push_back(i);

  train::Session session(timeline.spec());
  const probe::Grid grid = make_grid(o, session);
  probe::ProbabilityMap map(session, grid);
  exports::MapStyle style;
  style.mode = exports::parse_map_mode(o.mode, "--mode");
  style.measure = exports::parse_boundary_measure(o.measure, "--measure");
  style.shading = exports::parse_region_shading(o.shading, "--shading");
  style.colour_map = exports::parse_colour_map(o.colour_map, "--colour-map");
  style.background = exports::parse_background(o.background, "--background");
  style.points = !o.no_points;
  const probe::Interpolation method = probe::parse_interpolation(o.interpolation, "--interp-method");
  const auto [width, height] = frame_size(o.size, grid.domain);
  exports::MapRenderer renderer(style, map.classes(), grid, width, height);

  std::vector<train::Checkpoint> checkpoints;
  for (std::size_t c : chosen) checkpoints.push_back(timeline.checkpoints()[c]);
  exports::TimelineFrames maps(session, map, std::move(checkpoints), timeline.train_size(),
                               [&](std::size_t k, train::Session& s) { timeline.restore(chosen[k], s); });

  std::variant<std::monostate, exports::GifWriter, exports::VideoWriter> sink;
  if (ext == "gif") sink.emplace<exports::GifWriter>(width, height, renderer.palette(), o.frame_ms);
  if (ext == "mp4") sink.emplace<exports::VideoWriter>(o.out, width, height, o.frame_ms);

  const auto frames = probe::frame_positions(chosen.size(), o.interp);
  ProgressBar bar(static_cast<int>(frames.size()), stderr);
  for (std::size_t f = 0; f < frames.size(); ++f) {
    const auto [k, t] = frames[f];
    maps.forget_before(k);
    const exports::IndexedImage frame = maps.render(renderer, k, t, method, !o.no_title);
    if (auto* gif = std::get_if<exports::GifWriter>(&sink)) gif->add(frame);
    if (auto* video = std::get_if<exports::VideoWriter>(&sink)) video->add(frame, renderer.palette());
    if (ext == "png") exports::write_png(o.out, frame, renderer.palette());
    bar.update(static_cast<int>(f + 1), "frame " + std::to_string(f + 1));
  }
  if (auto* gif = std::get_if<exports::GifWriter>(&sink)) gif->finish(o.out);
  if (auto* video = std::get_if<exports::VideoWriter>(&sink)) video->finish();
  bar.finish();
  std::fprintf(stderr, "netlens: wrote %s (%zu frame%s, %dx%d)\n", o.out.c_str(), frames.size(),
               frames.size() == 1 ? "" : "s", width, height);
  return 0;
}

}  // namespace

void add_render_command(CLI::App& app, int& status) {
  auto o = std::make_shared<RenderOptions>();
  CLI::App* cmd = app.add_subcommand("render", "Draw a recorded run's class-probability maps into a GIF, MP4 or PNG");
  cmd->add_option("--run", o->run_dir, "Run directory written by train --run-dir")->required();
  cmd->add_option("--out", o->out, "Output file: .gif (animated), .mp4 (video) or .png (one checkpoint)")->required();
  cmd->add_option("--mode", o->mode, "boundary (where classes meet) or region (a colour per class)")
      ->check(CLI::IsMember({"boundary", "region"}));
  cmd->add_option("--measure", o->measure, "Boundary confidence: max (class probability) or margin (top two)")
      ->check(CLI::IsMember({"max", "margin"}));
  cmd->add_option("--shading", o->shading, "Region colours: argmax, smooth (3x3 filter first) or intensity")
      ->check(CLI::IsMember({"argmax", "smooth", "intensity"}));
  cmd->add_option("--colour-map", o->colour_map, "Boundary colour map: magma, viridis, gray")
      ->check(CLI::IsMember({"magma", "viridis", "gray"}));
  cmd->add_option("--background", o->background, "dark or light")->check(CLI::IsMember({"dark", "light"}));
  cmd->add_option("--interp", o->interp, "Frames per interval between checkpoints (1: the checkpoints only)")
      ->check(CLI::Range(1, 100));
  cmd->add_option("--interp-method", o->interpolation, "linear, geometric or cubic (in time)")
      ->check(CLI::IsMember({"linear", "geometric", "cubic"}));
  cmd->add_option("--size", o->size, "Frame size in pixels (the longer side)")->check(CLI::Range(16, 4096));
  cmd->add_option("--frame-ms", o->frame_ms, "Milliseconds per frame")->check(CLI::Range(20, 10000));
  cmd->add_option("--checkpoint", o->checkpoint, "Draw only this checkpoint (0 is the first)")->check(whole_number(0));
  auto* grid = cmd->add_option("--grid", o->grid, "Points per axis of a square grid over the domain")
                   ->check(CLI::Range(2, probe::kMaxGridSide));
  cmd->add_option("--per-unit", o->per_unit, "Points per unit over the data's extent (instead of --grid)")
      ->check(CLI::PositiveNumber)
      ->excludes(grid);
  cmd->add_option("--domain", o->domain, "X_MIN X_MAX Y_MIN Y_MAX (default: -6 6 -6 6, or the data's extent)")
      ->expected(4);
  cmd->add_flag("--no-title", o->no_title, "Draw no epoch and loss title");
  cmd->add_flag("--no-points", o->no_points, "Draw no data points");
  cmd->callback([o, &status] { status = run_render(*o); });
}

}  // namespace netlens::cli
