// netlens xor [--hidden 3] [--refresh 200] [--epochs 40000] [...]: the Inside view. Serves the
// page and opens inside.html with these settings (or prints its URL when no browser can be
// opened); with --headless it trains here and prints each refresh: the loss, the gradient norm
// of each weight layer and the hidden-space separator's accuracy, as text or JSON Lines.
#include <cmath>
#include <iostream>
#include <sstream>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/serve.hpp"
#include "core/error.hpp"
#include "data/synthetic2d.hpp"
#include "probe/hidden_space.hpp"
#include "train/traced_run.hpp"

namespace netlens::cli {

namespace {

struct XorOptions {
  train::TracedRunSpec spec;
  std::string hidden = "2";
  std::string activation = "tanh";
  std::string loss = "squared_error";
  int layer = -1;  // the hidden layer whose space is fitted; -1: the last
  bool headless = false, json = false;
  ServeOptions serve;
};

std::vector<int> parse_hidden(const std::string& text) {
  std::vector<int> units;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    std::size_t used = 0;
    int n = 0;
    try {
      n = std::stoi(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != item.size()) throw Error("--hidden", "must be units per hidden layer like 3 or 4,2, got '" + text + "'");
    units.push_back(n);
  }
  return units;
}

probe::Domain domain_of(const train::TracedRunSpec& spec) {
  if (spec.dataset == "xor4") return {data::kXor4Min, data::kXor4Max, data::kXor4Min, data::kXor4Max};
  return {};
}

nlohmann::json record_json(const train::TraceRecord& r, const probe::HiddenSpace& h) {
  return {{"type", "refresh"},
          {"epoch", r.epoch},
          {"loss", r.loss},
          {"accuracy", r.accuracy},
          {"gradient_norms", r.gradient_norms},
          {"separator_accuracy", h.separator.accuracy}};
}

std::string record_text(const train::TraceRecord& r, const probe::HiddenSpace& h) {
  std::ostringstream line;
  char head[96];
  std::snprintf(head, sizeof head, "epoch %6d  loss %.6f  accuracy %5.1f%%  separator %5.1f%%  |grad|", r.epoch, r.loss,
                100 * r.accuracy, 100 * h.separator.accuracy);
  line << head;
  for (double g : r.gradient_norms) {
    char norm[24];
    std::snprintf(norm, sizeof norm, " %.3g", g);
    line << norm;
  }
  return line.str();
}

int run_headless(const XorOptions& o, train::TracedRunSpec spec) {
  train::TracedRun run(spec);
  probe::HiddenSpaceOptions space;
  space.layer = o.layer < 0 ? static_cast<int>(spec.hidden.size()) - 1 : o.layer;
  space.domain = domain_of(spec);
  probe::HiddenSpace h;
  do {
    h = probe::hidden_space(run.session(), space);
    const auto& r = run.trace().back();
    std::cout << (o.json ? record_json(r, h).dump() : record_text(r, h)) << "\n";
  } while (run.advance());
  const auto& last = run.trace().back();
  if (o.json) {
    int below = -1;  // the first recorded epoch with loss < 0.01
    for (const auto& r : run.trace())
      if (r.loss < 0.01) {
        below = r.epoch;
        break;
      }
    std::cout << nlohmann::json{{"type", "summary"},
                                {"epoch", last.epoch},
                                {"loss", last.loss},
                                {"accuracy", last.accuracy},
                                {"separator_accuracy", h.separator.accuracy},
                                {"first_epoch_loss_below_0.01", below < 0 ? nlohmann::json(nullptr) : nlohmann::json(below)}}
                     .dump()
              << "\n";
  }
  return std::isfinite(last.loss) ? 0 : 1;
}

// The page and the run's settings as its URL query.
std::string inside_path(const XorOptions& o, const train::TracedRunSpec& s) {
  std::ostringstream q;
  q << "inside.html?hidden=" << o.hidden << "&refresh=" << s.refresh << "&epochs=" << s.epochs
    << "&activation=" << o.activation << "&loss=" << o.loss << "&learning_rate=" << s.learning_rate << "&seed=" << s.seed
    << "&dataset=" << s.dataset;
  if (s.dataset != "xor4") q << "&noise=" << s.noise << "&num_samples=" << s.num_samples;
  return q.str();
}

int run_xor(const XorOptions& o) {
  train::TracedRunSpec spec = o.spec;
  spec.hidden = parse_hidden(o.hidden);
  spec.activation = nn::parse_activation(o.activation, "--activation");
  spec.loss = nn::parse_loss(o.loss, "--loss");
  train::validate(spec);
  if (o.layer >= static_cast<int>(spec.hidden.size()))
    throw Error("--layer", "must be a hidden layer, 0.." + std::to_string(spec.hidden.size() - 1) + ", got " +
                               std::to_string(o.layer));
  if (o.headless) return run_headless(o, spec);
  if (o.json) throw Error("--json", "needs --headless");
  ServeOptions serving = o.serve;
  serving.open = true;  // prints the URL either way
  return serve(serving, inside_path(o, spec));
}

}  // namespace

void add_xor_command(CLI::App& app, int& status) {
  auto o = std::make_shared<XorOptions>();
  CLI::App* cmd = app.add_subcommand("xor", "Watch a small network solve XOR: the Inside view");
  cmd->add_option("--hidden", o->hidden, "Units per hidden layer, e.g. 3 or 4,2")->capture_default_str();
  cmd->add_option("--refresh", o->spec.refresh, "Epochs between refreshes of the views")->capture_default_str();
  cmd->add_option("--epochs", o->spec.epochs, "Epochs (full-batch gradient steps)")->capture_default_str();
  cmd->add_option("--activation", o->activation, "Hidden activation")->capture_default_str();
  cmd->add_option("--loss", o->loss, "squared_error or binary_cross_entropy")->capture_default_str();
  cmd->add_option("--learning-rate,--lr", o->spec.learning_rate, "Learning rate")->capture_default_str();
  cmd->add_option("--seed", o->spec.seed, "Seed of the initial weights")->capture_default_str();
  cmd->add_option("--dataset", o->spec.dataset, "xor4 (the four points) or a two-class 2D set: xor, circle, ...")
      ->capture_default_str();
  cmd->add_option("--noise", o->spec.noise, "Noise of a generated set, percent")->capture_default_str();
  cmd->add_option("--samples", o->spec.num_samples, "Points of a generated set")->capture_default_str();
  cmd->add_option("--layer", o->layer, "Hidden layer whose space is fitted (default: the last)");
  cmd->add_flag("--headless", o->headless, "Train here and print each refresh instead of serving the page");
  cmd->add_flag("--json", o->json, "With --headless: JSON Lines, one object per refresh and a summary");
  add_serve_options(*cmd, o->serve);
  cmd->callback([o, &status] { status = run_xor(*o); });
}

}  // namespace netlens::cli
