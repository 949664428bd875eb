#pragma once
// Each subcommand registers itself on the app; its callback runs the command and returns the
// process exit status: 0 success, 1 a run that failed (diverged), 2 bad input.
#include <CLI/CLI.hpp>

namespace netlens::cli {

void add_train_command(CLI::App& app, int& status);
void add_render_command(CLI::App& app, int& status);
void add_serve_command(CLI::App& app, int& status);
void add_bench_command(CLI::App& app, int& status);
void add_infer_command(CLI::App& app, int& status);
void add_xor_command(CLI::App& app, int& status);
void add_lurk_command(CLI::App& app, int& status);
void add_explain_command(CLI::App& app, int& status);
void add_dream_command(CLI::App& app, int& status);
void add_import_command(CLI::App& app, int& status);
void add_export_command(CLI::App& app, int& status);

}  // namespace netlens::cli
