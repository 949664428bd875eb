// netlens train --spec FILE [--points CSV] [--init MODEL.json] [--epochs N] [--json]
//               [--run-dir DIR [--schedule KIND] [--every-epochs N]]:
// trains a Playground run headless and prints each epoch's losses and accuracies, as text or
// as JSON Lines: the page's run replayed, with its uploaded points (--points, read as the
// page's upload reads them) and its exported weights and epoch (--init, as the page's import). With --run-dir it records the run's timeline there: a snapshot at epoch 0, at
// each point of the schedule and at the end (docs/run-format.md). With --config FILE instead,
// an image network (cli/train_image).
#include <cmath>
#include <iostream>
#include <optional>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/progress_bar.hpp"
#include "cli/train_image.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "data/csv_points.hpp"
#include "train/image_data.hpp"
#include "train/playground_export.hpp"
#include "train/session.hpp"
#include "train/timeline.hpp"

namespace netlens::cli {

namespace {

struct TrainOptions {
  std::string spec_path;
  std::string points_path;
  std::string init_path;
  int epochs = 100;
  bool json = false;
  std::string run_dir;
  std::string schedule = "default";
  int every_epochs = 0;
};

nlohmann::json metrics_json(const train::Metrics& m) {
  nlohmann::json j{{"epoch", m.epoch}, {"train_loss", m.train_loss}, {"test_loss", m.test_loss}};
  if (m.train_accuracy) j["train_accuracy"] = *m.train_accuracy;
  if (m.test_accuracy) j["test_accuracy"] = *m.test_accuracy;
  return j;
}

std::string metrics_text(const train::Metrics& m) {
  char line[160];
  int n = std::snprintf(line, sizeof line, "epoch %5d  train loss %.6f  test loss %.6f", m.epoch, m.train_loss,
                        m.test_loss);
  if (m.train_accuracy)
    std::snprintf(line + n, sizeof line - n, "  train acc %.2f%%  test acc %.2f%%", 100 * *m.train_accuracy,
                  100 * *m.test_accuracy);
  return line;
}

// The spec with the points of a CSV file, as the page's upload_csv reads them.
train::CustomPoints read_points(const std::string& path, const train::RunSpec& spec) {
  if (path.empty()) return {};
  const std::string text = read_small_file(path, "points file", data::CsvLimits::kMaxBytes);
  return {data::parse_csv_points(text, path, spec.problem, train::num_classes(spec)), {}};
}

// An exported model's weights and epoch, as the page's import reads them; its network must be
// the spec's (the spec's training settings, points and seeds apply).
void load_model(train::Session& session, const std::string& path) {
  const nlohmann::json j = read_json_file(path, "model file");
  train::ImportedModel model;
  try {
    model = train::import_model(j);
  } catch (const Error& e) {
    throw Error(path, std::string("import: ") + e.what());
  }
  const auto network = [](const train::RunSpec& s) {
    const nlohmann::json spec_json = train::to_json(s);
    return nlohmann::json::array({spec_json["features"], spec_json["hidden_layers"], spec_json["loss"], train::output_units(s)});
  };
  if (network(model.spec) != network(session.spec()))
    throw Error(path, "model.spec: its network (features, hidden_layers, loss) is not the one of --spec");
  session.load_params(model.params);
  session.start_at_epoch(model.epoch);
}

int run_train(const TrainOptions& o) {
  const train::RunSpec spec = train::load_run_spec(o.spec_path);
  train::Session session(spec, read_points(o.points_path, spec));
  if (!o.init_path.empty()) load_model(session, o.init_path);
  std::optional<train::SnapshotStore> store;
  if (!o.run_dir.empty()) {
    const train::ScheduleSpec schedule{train::parse_schedule_kind(o.schedule, "--schedule"), o.every_epochs};
    if (schedule.kind != train::ScheduleKind::Default && o.every_epochs < 1)
      throw Error("--every-epochs", "is required (1 or more) with --schedule " + o.schedule);
    if (schedule.kind == train::ScheduleKind::Default && o.every_epochs > 0)
      throw Error("--every-epochs", "needs --schedule epochs or both");
    store.emplace(o.run_dir, session, schedule);
    store->record(session);
  }
  ProgressBar bar(o.epochs, stderr);
  for (int e = 0; e < o.epochs; ++e) {
    if (store)
      store->train_epoch(session);
    else
      session.train_epoch();
    const train::Metrics m = session.evaluate();
    if (!std::isfinite(m.train_loss)) {
      bar.finish();
      if (store) store->flush();
      std::cerr << "netlens: training diverged at epoch " << m.epoch
                << ": the training loss is not finite; try a lower learning_rate (now "
                << session.spec().learning_rate << ")\n";
      return 1;
    }
    if (o.json)
      std::cout << metrics_json(m).dump() << "\n";
    else
      std::cout << metrics_text(m) << "\n";
    std::cout.flush();
    char note[64];
    std::snprintf(note, sizeof note, "test loss %.4f", m.test_loss);
    bar.update(e + 1, note);
  }
  bar.finish();
  if (store) store->finish(session);
  return 0;
}

}  // namespace

void add_train_command(CLI::App& app, int& status) {
  auto options = std::make_shared<TrainOptions>();
  auto image = std::make_shared<TrainImageOptions>();
  CLI::App* cmd = app.add_subcommand("train", "Train a run headless and print each epoch's metrics");
  auto* spec = cmd->add_option("--spec", options->spec_path, "Playground run spec (JSON), e.g. examples/circle.json");
  auto* config = cmd->add_option("--config", image->config_path, "Image network config (JSON), e.g. examples/mnist_cnn.json");
  spec->excludes(config);
  cmd->add_option("--points", options->points_path, "Training and test points (CSV: x1,x2,label), as the page uploads them")
      ->needs(spec);
  cmd->add_option("--init", options->init_path, "Start from a model the page exported (JSON): its weights and epoch")
      ->needs(spec);
  cmd->add_option("--epochs", options->epochs, "Epochs to train (--spec)")->check(whole_number(1, 10000000))->needs(spec);
  cmd->add_option("--data", image->data, "Images for --config: mnist or fashion-mnist")
      ->check(CLI::IsMember(train::dataset_names()))
      ->needs(config);
  cmd->add_option("--data-dir", image->data_dir, "Folder of the IDX files (default: the data set's own)")->needs(config);
  cmd->add_option("--out", image->out, "Model file (default: the config's model_output_filename)")->needs(config);
  cmd->add_flag("--json", options->json, "Print one JSON object per epoch (JSON Lines)");
  auto* run_dir = cmd->add_option("--run-dir", options->run_dir, "Record the run's checkpoints in this new directory")
                      ->needs(spec);
  cmd->add_option("--schedule", options->schedule,
                  "When to take snapshots: default (dense early, sparse later), epochs (every N), both")
      ->check(CLI::IsMember({"default", "epochs", "both"}))
      ->needs(run_dir);
  cmd->add_option("--every-epochs", options->every_epochs, "N for --schedule epochs or both")
      ->check(whole_number(1, 10000000))
      ->needs(run_dir);
  cmd->callback([options, image, cmd, &status] {
    if (cmd->count("--spec") + cmd->count("--config") == 0)
      throw CLI::RequiredError("--spec or --config");
    image->json = options->json;
    status = cmd->count("--config") ? run_train_image(*image) : run_train(*options);
  });
}

}  // namespace netlens::cli
