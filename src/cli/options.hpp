#pragma once
// What every subcommand's options share: integer checks that say what is wrong in words, and
// the hints main() adds to CLI11's parse errors (the commands there are, the near option).
#include <string>

#include <CLI/CLI.hpp>

namespace netlens::cli {

// An integer option of min..max (max absent: no upper bound): "is not a number: abc",
// "must be 1..10000000, got 0", "must be 0 or more, got -1".
CLI::Validator whole_number(long long min, long long max);
CLI::Validator whole_number(long long min);

// A line to print after CLI11's message for `error`, or "": an unknown command lists the
// commands; an unknown option names the subcommand's nearest one ("did you mean --epochs?").
std::string parse_error_hint(const CLI::App& app, const CLI::ParseError& error, int argc, char** argv);

}  // namespace netlens::cli
