#include "cli/train_image.hpp"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/progress_bar.hpp"
#include "nn/model_file.hpp"
#include "train/image_training.hpp"

namespace netlens::cli {

namespace {
using Clock = std::chrono::steady_clock;
double seconds_from(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }
}  // namespace

std::string model_output_path(const std::string& filename) {
  std::filesystem::path p(filename);
  if (!p.has_extension()) p += ".nlmodel";
  return p.string();
}

int run_train_image(const TrainImageOptions& o) {
  const auto start = Clock::now();
  const train::ImageConfig config = train::load_image_config(o.config_path);
  const std::string out = model_output_path(o.out.empty() ? config.model_output_filename : o.out);
  const train::ImageData data = train::load_image_data(config, o.data_dir.empty() ? train::dataset_dir(o.data) : o.data_dir);
  train::ImageTraining run(config, data);

  const int steps = run.steps_per_epoch();
  ProgressBar bar(config.epochs * steps, stderr);
  char note[96] = "";
  while (!run.should_stop()) {
    for (int s = 0; s < steps; ++s) {
      run.step();
      if (s % 20 == 0 || s + 1 == steps) bar.update(run.epoch() * steps + s + 1, note);
    }
    const train::EpochReport r = run.end_epoch();
    if (!std::isfinite(r.validation_loss)) {
      bar.finish();
      std::cerr << "netlens: training diverged at epoch " << r.epoch
                << ": the validation loss is not finite; try a lower learning_rate (now " << config.learning_rate << ")\n";
      return 1;
    }
    std::snprintf(note, sizeof note, "epoch %d  val loss %.4f  val acc %.2f%%", r.epoch, r.validation_loss,
                  100 * r.validation_accuracy);
    bar.update(r.epoch * steps, note);
    if (o.json)
      std::cout << nlohmann::json{{"epoch", r.epoch}, {"validation_loss", r.validation_loss},
                                  {"validation_accuracy", r.validation_accuracy}, {"seconds", seconds_from(start)}}
                       .dump()
                << std::endl;
    else
      std::printf("epoch %3d  val loss %.4f  val acc %.2f%%%s\n", r.epoch, r.validation_loss, 100 * r.validation_accuracy,
                  r.improved ? "" : "  (no improvement)"),
          std::fflush(stdout);
  }
  bar.finish();
  const bool stopped_early = run.epoch() < config.epochs;
  run.restore_best();
  const train::Evaluation test = run.evaluate_test();
  nn::save_model(out, train::model_header(config, o.data, run.epoch(), test), run.network());
  if (o.json)
    std::cout << nlohmann::json{{"data", o.data},        {"epochs", run.epoch()},         {"stopped_early", stopped_early},
                                {"test_loss", test.loss}, {"test_accuracy", test.accuracy}, {"train_images", data.train.size()},
                                {"model", out},           {"seconds", seconds_from(start)}}
                     .dump()
              << std::endl;
  else
    std::printf("%s after %d epochs: test loss %.4f, test accuracy %.2f%%; model saved to %s\n",
                stopped_early ? "stopped early" : "done", run.epoch(), test.loss, 100 * test.accuracy, out.c_str());
  return 0;
}

}  // namespace netlens::cli
