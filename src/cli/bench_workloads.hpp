#pragma once
// The workloads of `make bench` (see bench/README.md): each runs one measured task on the
// engine and reports its figure, so bench/run.py can set it beside PyTorch's.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace netlens::cli {

struct BenchOptions {
  std::string out_dir;    // where the data shared with the peer is written
  std::string mnist_dir;  // MNIST's IDX files
  bool quick = false;
  std::string examples_dir = "examples";  // the image configs of W6 and W7
};

// Names: W1 .. W7 (training and frames), L1, L2 (the Lurk dataset pass), A1 .. A3 (attributions),
// D1, D2 (a drawing through the Digits CNN and MLP).
// Throws Error for an unknown name or missing data.
nlohmann::json run_workload(const std::string& name, const BenchOptions& options);
std::vector<std::string> workload_names();

}  // namespace netlens::cli
