#pragma once
// Serving the page, shared by `netlens serve` and the commands that open a view on it
// (`netlens xor`): the options, their flags, and running the server until it is stopped.
#include <cstddef>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "train/run_folder.hpp"

namespace netlens::cli {

struct ServeOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8000;
  std::string web_root;
  std::string models_dir;
  std::string runs_dir;
  std::size_t keep_runs = train::kKeptAutomaticRuns;
  std::string open_run;  // a saved run directory the Playground opens (checked before serving)
  bool open = false;
  std::optional<std::string> token;  // unset: generated for a non-loopback host
  std::size_t max_sessions = 64;
  std::size_t memory_limit_mib = 4096;
};

// --host, --port, --web-root, --models, --runs, --keep-runs, --open-run, --token, --max-sessions, --memory-limit
// (not --open).
void add_serve_options(CLI::App& cmd, ServeOptions& options);

// The URL of page `page` ("inside.html?hidden=3") on a server whose root URL is `root`
// ("http://127.0.0.1:8000/" or ".../?token=T"): the token, if any, joins the page's query.
std::string page_url(const std::string& root, const std::string& page);

// Serves until stopped. Prints "netlens: serving URL" (URL: the root, or `page` on it) and
// opens that URL in a browser when `open` and a desktop is there. Returns the exit status.
int serve(const ServeOptions& options, const std::string& page = "");

}  // namespace netlens::cli
