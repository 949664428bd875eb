#include "cli/options.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <vector>

namespace netlens::cli {

namespace {

CLI::Validator integer_check(long long min, std::optional<long long> max) {
  const std::string range = max ? std::to_string(min) + ".." + std::to_string(*max) : std::to_string(min) + " or more";
  return CLI::Validator(
      [min, max, range](std::string& text) -> std::string {
        long long value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec == std::errc::result_out_of_range) return "must be " + range + ", got " + text;
        if (ec != std::errc() || end != text.data() + text.size()) return "is not a number: " + text;
        if (value < min || (max && value > *max)) return "must be " + range + ", got " + text;
        return "";
      },
      "INT " + range);
}

// Edits (insert, delete, replace) from a to b.
std::size_t distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace

CLI::Validator whole_number(long long min, long long max) { return integer_check(min, max); }
CLI::Validator whole_number(long long min) { return integer_check(min, std::nullopt); }

std::string parse_error_hint(const CLI::App& app, const CLI::ParseError& error, int argc, char** argv) {
  std::string commands;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    commands += (commands.empty() ? "" : ", ") + sub->get_name();
  const auto parsed = app.get_subcommands();
  if (parsed.empty()) {
    if (argc > 1 && argv[1][0] != '-') return "unknown command '" + std::string(argv[1]) + "' (commands: " + commands + ")";
    return "";
  }
  if (!dynamic_cast<const CLI::ExtrasError*>(&error)) return "";
  const CLI::App* sub = parsed.front();
  for (int i = 2; i < argc; ++i) {
    const std::string arg = std::string(argv[i]).substr(0, std::string(argv[i]).find('='));
    if (arg.rfind("--", 0) != 0 || sub->get_option_no_throw(arg)) continue;
    std::string best;
    std::size_t best_distance = 3;  // at most two edits away
    for (const CLI::Option* option : sub->get_options())
      for (const std::string& name : option->get_lnames())
        if (const std::size_t d = distance(arg.substr(2), name); d < best_distance) {
          best_distance = d;
          best = "--" + name;
        }
    if (!best.empty()) return "unknown option " + arg + ": did you mean " + best + "?";
  }
  return "";
}

}  // namespace netlens::cli
