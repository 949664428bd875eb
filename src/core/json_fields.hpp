#pragma once
// Fields: how netlens reads the fields of a JSON object, for every JSON it reads (run specs,
// image configs, model headers, every view's commands). One rule for each kind of value, and
// one error format naming the path: "set_param.layer: must be an integer 0..9, got 2.5".
//   an integer:  a number with no fraction (3 and 3.0; not 2.5, not "3"), within its range
//   a number:    any JSON number, within its range
//   a name:      a string from a NameTable
// A closed schema calls refuse_unknown() after reading, so a misspelt key is an error.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/names.hpp"

namespace netlens {

// A number as a person writes it: 4294967295, 0.000001, 2.5 (never 4.29497e+09).
std::string plain_number(double x);

// "a string", "an array", "null", ...: what a value is, for error messages.
std::string json_kind(const nlohmann::json& value);

class Fields {
 public:
  static constexpr int kIntMax = std::numeric_limits<int>::max();
  static constexpr double kInf = std::numeric_limits<double>::infinity();

  // `object` must outlive this. Throws Error(path, "must be an object, got ...").
  Fields(const nlohmann::json& object, std::string path);

  const std::string& path() const { return path_; }
  std::string path(std::string_view key) const;  // "set_param.layer"
  bool has(std::string_view key) const;
  const nlohmann::json* find(std::string_view key) const;  // null when absent
  const nlohmann::json& at(std::string_view key) const;    // throws "PATH.key: is missing"

  int integer(std::string_view key, int min = 0, int max = kIntMax) const;
  std::optional<int> optional_integer(std::string_view key, int min = 0, int max = kIntMax) const;
  double number(std::string_view key, double min = -kInf, double max = kInf) const;
  std::optional<double> optional_number(std::string_view key, double min = -kInf, double max = kInf) const;
  std::string string(std::string_view key) const;
  std::optional<std::string> optional_string(std::string_view key) const;
  // A seed: an integer 0..2^64 - 1.
  std::optional<std::uint64_t> optional_seed(std::string_view key) const;
  bool boolean(std::string_view key) const;
  std::optional<bool> optional_boolean(std::string_view key) const;
  const nlohmann::json& array(std::string_view key) const;  // an array, whatever it holds
  Fields object(std::string_view key) const;                // a nested object, its path extended

  template <class E, std::size_t N>
  E name(std::string_view key, const NameTable<E, N>& table, std::string_view what) const {
    return parse_name(table, string(key), path(key), what);
  }
  template <class E, std::size_t N>
  std::optional<E> optional_name(std::string_view key, const NameTable<E, N>& table, std::string_view what) const {
    if (!has(key)) return std::nullopt;
    return name(key, table, what);
  }

  // Throws "PATH.KEY: unknown key (known: ...)" for a key no read above has asked for.
  void refuse_unknown() const;

  // The value rules, for array elements and other values without a key of their own.
  static int to_integer(const nlohmann::json& value, const std::string& path, int min = 0, int max = kIntMax);
  static double to_number(const nlohmann::json& value, const std::string& path, double min = -kInf, double max = kInf);

 private:
  const nlohmann::json& object_;
  std::string path_;
  mutable std::vector<std::string> asked_;  // every key asked for, for refuse_unknown
};

// Reads a closed object at `path`: read(fields), then refuse_unknown(); returns what read returns.
template <class Read>
auto read_object(const nlohmann::json& object, const std::string& path, Read&& read) {
  const Fields fields(object, path);
  auto value = read(fields);
  fields.refuse_unknown();
  return value;
}

}  // namespace netlens
