// netlens: train neural networks and watch them learn. `netlens --help` lists the commands.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"

int main(int argc, char** argv) {
  CLI::App app{"netlens " NETLENS_VERSION ": train neural networks and watch them learn"};
  app.set_version_flag("--version", NETLENS_VERSION);
  app.require_subcommand(1);
  int status = 0;
  netlens::cli::add_train_command(app, status);
  netlens::cli::add_render_command(app, status);
  netlens::cli::add_serve_command(app, status);
  netlens::cli::add_bench_command(app, status);
  netlens::cli::add_infer_command(app, status);
  netlens::cli::add_xor_command(app, status);
  netlens::cli::add_lurk_command(app, status);
  netlens::cli::add_explain_command(app, status);
  netlens::cli::add_dream_command(app, status);
  netlens::cli::add_import_command(app, status);
  netlens::cli::add_export_command(app, status);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help, --version
  } catch (const CLI::ParseError& e) {
    const std::string hint = netlens::cli::parse_error_hint(app, e, argc, argv);
    if (!hint.empty()) {
      std::cerr << "netlens: " << hint << "\n";
      return 2;
    }
    app.exit(e);  // prints the message and usage
    return 2;
  } catch (const netlens::Error& e) {
    std::cerr << "netlens: " << e.what() << "\n";
    return 2;
  }
  return status;
}
