// netlens serve [--host H] [--port P] [--open]: serves the page and the live sessions.
#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "server/server.hpp"

extern char** environ;

namespace netlens::cli {

namespace {

struct ServeOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8000;
  std::string web_root;
  std::string models_dir;
  bool open = false;
};

// The built page sits beside the binary: build/netlens serves build/web; the Digits view's
// models go to build/models.
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

int run_serve(const ServeOptions& o) {
  server::ServerOptions so;
  so.host = o.host;
  so.port = o.port;
  so.web_root = o.web_root.empty() ? beside_binary("web") : o.web_root;
  so.models_dir = o.models_dir.empty() ? beside_binary("models") : o.models_dir;
  so.on_listening = [&o](const std::string& url) {
    std::cout << "netlens: serving " << url << std::endl;
    if (o.open) open_in_browser(url);
  };
  server::Server server(so);
  server.run();
  return 0;
}

}  // namespace

void add_serve_command(CLI::App& app, int& status) {
  auto options = std::make_shared<ServeOptions>();
  CLI::App* cmd = app.add_subcommand("serve", "Serve the live page and its training sessions");
  cmd->add_option("--host", options->host, "Address to bind")->capture_default_str();
  cmd->add_option("--port", options->port, "Port (0 picks a free one)")->capture_default_str();
  cmd->add_option("--web-root", options->web_root, "Folder of the built page (default: web/ beside the binary)");
  cmd->add_option("--models", options->models_dir, "Folder of the Digits view's models (default: models/ beside the binary)");
  cmd->add_flag("--open", options->open, "Open the page in a browser when one is available");
  cmd->callback([options, &status] { status = run_serve(*options); });
}

}  // namespace netlens::cli
