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

// Names: W1, W2, W3, W3g, W4, W5, W6, W7. Throws Error for an unknown name or missing data.
nlohmann::json run_workload(const std::string& name, const BenchOptions& options);
const std::vector<std::string>& workload_names();

}  // namespace netlens::cli
