#include "cli/serve.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "core/error.hpp"
#include "server/net/access.hpp"
#include "server/endpoints.hpp"
#include "server/net/server.hpp"
#include "train/timeline.hpp"

extern char** environ;

namespace netlens::cli {

namespace {

// The built page sits beside the binary: build/netlens serves build/web; the Digits view's
// models go to build/models, the Playground's saved runs to build/runs.
std::string beside_binary(const char* name) {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? name : (exe.parent_path() / name).string();
}

// Opens the URL in the user's browser when there is a desktop to open it on; never fails.
void open_in_browser(const std::string& url) {
  if (!std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY")) return;
  pid_t pid;
  const char* argv[] = {"xdg-open", url.c_str(), nullptr};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawnp(&pid, "xdg-open", &actions, nullptr, const_cast<char**>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
}

}  // namespace

std::string page_url(const std::string& root, const std::string& page) {
  const auto query = root.find('?');
  if (query == std::string::npos) return root + page;
  const std::string token = root.substr(query + 1);
  return root.substr(0, query) + page + (page.find('?') == std::string::npos ? "?" : "&") + token;
}

void add_serve_options(CLI::App& cmd, ServeOptions& options) {
  cmd.add_option("--host", options.host, "Address to bind")->capture_default_str();
  cmd.add_option("--port", options.port, "Port (0 picks a free one)")->capture_default_str();
  cmd.add_option("--web-root", options.web_root, "Folder of the built page (default: web/ beside the binary)");
  cmd.add_option("--models", options.models_dir, "Folder of the Digits view's models (default: models/ beside the binary)");
  cmd.add_option("--runs", options.runs_dir,
                 "Folder where each Playground run is saved when its tab closes or the server stops, for "
                 "`netlens render --run` and the Runs page, and where runs streamed in (POST /api/ingest/v1/records) "
                 "are saved as they arrive (default: runs/ beside the binary)");
  cmd.add_option("--keep-runs", options.keep_runs,
                 "The automatic saves keep only the newest N unstarred runs: older unstarred automatic saves are "
                 "removed when a new one is saved (starred, ingested, imported and `train --run-dir` runs are kept)")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  cmd.add_option("--open-run", options.open_run,
                 "A saved run directory (from --runs, or `netlens train --run-dir`) the Playground opens, going "
                 "on from its last checkpoint");
  cmd.add_option("--token", options.token,
                 "Secret every request must carry (?token= in the URL, then a cookie). Default: none on "
                 "127.0.0.1, generated and printed with the URL on any other host");
  cmd.add_option("--max-sessions", options.max_sessions, "Live sessions (browser tabs) at once")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  cmd.add_option("--memory-limit", options.memory_limit_mib, "MiB the sessions' runs may need together")
      ->check(CLI::Range(16, 1 << 20))
      ->capture_default_str();
}

int serve(const ServeOptions& o, const std::string& page) {
  server::ServerOptions so;
  so.host = o.host;
  so.port = o.port;
  const bool loopback = server::is_loopback_host(o.host);
  if (o.token && o.token->empty() && !loopback)
    throw Error("--token", "an empty token would open " + o.host + " to anyone who can reach it; give one or leave "
                           "--token out to have one generated");
  so.token = o.token ? *o.token : loopback ? "" : server::generate_token();
  so.max_sessions = o.max_sessions;
  so.memory_limit = o.memory_limit_mib << 20;
  so.web_root = o.web_root.empty() ? beside_binary("web") : o.web_root;
  server::ViewOptions views;
  views.models_dir = o.models_dir.empty() ? beside_binary("models") : o.models_dir;
  views.runs_dir = o.runs_dir.empty() ? beside_binary("runs") : o.runs_dir;
  views.keep_runs = o.keep_runs;
  if (!o.open_run.empty()) {
    // A bad directory is refused now, in words, rather than by every session.
    std::size_t checkpoints = 0;
    try {
      checkpoints = train::Timeline::open(o.open_run).size();
    } catch (const Error& e) {
      throw Error("--open-run", e.what());
    }
    if (checkpoints == 0) throw Error("--open-run", o.open_run + " holds no checkpoints");
    views.open_run = o.open_run;
  }
  so.on_listening = [&o, &page](const std::string& root) {
    const std::string url = page.empty() ? root : page_url(root, page);
    std::cout << "netlens: serving " << url << std::endl;
    if (o.open) open_in_browser(url);
  };
  server::Server server(so, [&views](server::Budget& memory) { return server::view_endpoints(views, memory); });
  server.run();
  return 0;
}

}  // namespace netlens::cli
