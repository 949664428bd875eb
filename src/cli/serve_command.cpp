// netlens serve [--host H] [--port P] [--token T] [--open]: serves the page and the live
// sessions. Another host than loopback needs a token: generated and printed in the URL unless
// given (docs/security.md).
#include "cli/commands.hpp"
#include "cli/serve.hpp"

namespace netlens::cli {

void add_serve_command(CLI::App& app, int& status) {
  auto options = std::make_shared<ServeOptions>();
  CLI::App* cmd = app.add_subcommand("serve", "Serve the live page and its training sessions");
  add_serve_options(*cmd, *options);
  cmd->add_flag("--open", options->open, "Open the page in a browser when one is available");
  cmd->callback([options, &status] { status = serve(*options); });
}

}  // namespace netlens::cli
