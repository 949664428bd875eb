// netlens train --spec FILE [--epochs N] [--json] [--run-dir DIR [--schedule KIND] [--every-epochs N]]:
// trains a Playground run headless and prints each epoch's losses and accuracies, as text or
// as JSON Lines. With --run-dir it records the run's timeline there: a snapshot at epoch 0, at
// each point of the schedule and at the end (docs/run-format.md). With --config FILE instead,
// an image network (cli/train_image).
#include <cmath>
#include <iostream>
#include <optional>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/progress_bar.hpp"
#include "cli/train_image.hpp"
#include "core/error.hpp"
#include "train/image_data.hpp"
#include "train/session.hpp"
#include "train/timeline.hpp"

namespace netlens::cli {

namespace {

struct TrainOptions {
  std::string spec_path;
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

int run_train(const TrainOptions& o) {
  train::Session session(train::load_run_spec(o.spec_path));
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
  cmd->add_option("--epochs", options->epochs, "Epochs to train (--spec)")->check(CLI::Range(1, 10000000))->needs(spec);
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
      ->check(CLI::Range(1, 10000000))
      ->needs(run_dir);
  cmd->callback([options, image, cmd, &status] {
    if (cmd->count("--spec") + cmd->count("--config") == 0)
      throw CLI::RequiredError("--spec or --config");
    image->json = options->json;
    status = cmd->count("--config") ? run_train_image(*image) : run_train(*options);
  });
}

}  // namespace netlens::cli
