// netlens bench [--only W1 ...] [--quick]: runs the benchmark workloads and prints one JSON
// object per workload (figure, threads, peak resident memory). bench/run.py sets them beside
// PyTorch's; run one workload per process so each peak memory is its own.
#include <sys/resource.h>

#include <iostream>

#include "cli/bench_workloads.hpp"
#include "cli/commands.hpp"
#include "core/parallel.hpp"

namespace netlens::cli {

namespace {

struct BenchCommandOptions {
  BenchOptions bench{"build/bench", ".cache/mnist", false, "examples"};
  std::vector<std::string> only;
  int threads = parallel::threads();
};

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

int run_bench(const BenchCommandOptions& o) {
  parallel::set_threads(o.threads);
  for (const auto& name : o.only.empty() ? workload_names() : o.only) {
    nlohmann::json result = run_workload(name, o.bench);
    result["threads"] = parallel::threads();
    result["peak_rss_mib"] = peak_rss_mib();
    std::cout << result.dump() << std::endl;
  }
  return 0;
}

}  // namespace

void add_bench_command(CLI::App& app, int& status) {
  auto options = std::make_shared<BenchCommandOptions>();
  CLI::App* cmd = app.add_subcommand("bench", "Run the benchmark workloads (make bench compares them with PyTorch)");
  cmd->add_option("--only", options->only, "Workloads to run: W1 W2 W3 W3g W4 W5 W6 W7 (default: all)");
  cmd->add_option("--out", options->bench.out_dir, "Folder for the data shared with the peer")->capture_default_str();
  cmd->add_option("--mnist", options->bench.mnist_dir, "Folder of MNIST's IDX files")->capture_default_str();
  cmd->add_option("--examples", options->bench.examples_dir, "Folder of the image configs W6 and W7 train")
      ->capture_default_str();
  cmd->add_option("--threads", options->threads, "Threads of the engine's pool")->capture_default_str();
  cmd->add_flag("--quick", options->bench.quick, "Shorter runs");
  cmd->callback([options, &status] { status = run_bench(*options); });
}

}  // namespace netlens::cli
