#include "core/json_fields.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace netlens {

using nlohmann::json;

namespace {

std::string plain(int x) { return std::to_string(x); }
std::string plain(double x) { return plain_number(x); }

// "0..9", "1 or more", "" for an unbounded range.
template <class T>
std::string range_text(T min, T max, T lowest, T highest) {
  if (min > lowest && max < highest) return " " + plain(min) + ".." + plain(max);
  if (min > lowest) return " of at least " + plain(min);
  if (max < highest) return " of at most " + plain(max);
  return "";
}

std::string got(const json& value) {
  if (value.is_number()) return excerpt(value.dump(), 40);
  return json_kind(value);
}

}  // namespace

// Fixed notation in the range people type (4294967295, 0.000001), the shortest digits that read
// back as x; an exponent only beyond it (1e+300), where fixed would print hundreds of digits.
std::string plain_number(double x) {
  const double a = std::fabs(x);
  const auto format = a == 0 || (a >= 1e-9 && a < 1e15) ? std::chars_format::fixed : std::chars_format::general;
  char text[64];
  const auto end = std::to_chars(text, text + sizeof text, x, format).ptr;
  return std::string(text, end);
}

std::string json_kind(const json& value) {
  if (value.is_number()) return "a number";
  if (value.is_null()) return "null";
  if (value.is_array()) return "an array";
  if (value.is_object()) return "an object";
  if (value.is_boolean()) return "a boolean";
  return "a string";
}

Fields::Fields(const json& object, std::string path) : object_(object), path_(std::move(path)) {
  if (!object_.is_object()) throw Error(path_.empty() ? "value" : path_, "must be an object, got " + json_kind(object_));
}

std::string Fields::path(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);  // "" is the root of a file
}

bool Fields::has(std::string_view key) const { return find(key) != nullptr; }

const json* Fields::find(std::string_view key) const {
  if (std::find(asked_.begin(), asked_.end(), key) == asked_.end()) asked_.emplace_back(key);
  const auto it = object_.find(key);
  return it == object_.end() ? nullptr : &*it;
}

const json& Fields::at(std::string_view key) const {
  const json* value = find(key);
  if (!value) throw Error(path(key), "is missing");
  return *value;
}

int Fields::to_integer(const json& value, const std::string& where, int min, int max) {
  const auto fail = [&] {
    throw Error(where, "must be an integer" + range_text(min, max, std::numeric_limits<int>::min(), kIntMax) +
                           ", got " + got(value));
  };
  if (!value.is_number()) fail();
  const double x = value.get<double>();
  if (std::floor(x) != x || x < min || x > max) fail();
  return static_cast<int>(x);
}

double Fields::to_number(const json& value, const std::string& where, double min, double max) {
  const auto fail = [&] { throw Error(where, "must be a number" + range_text(min, max, -kInf, kInf) + ", got " + got(value)); };
  if (!value.is_number()) fail();
  const double x = value.get<double>();
  if (!(x >= min && x <= max)) fail();
  return x;
}

int Fields::integer(std::string_view key, int min, int max) const { return to_integer(at(key), path(key), min, max); }

std::optional<int> Fields::optional_integer(std::string_view key, int min, int max) const {
  if (!has(key)) return std::nullopt;
  return integer(key, min, max);
}

double Fields::number(std::string_view key, double min, double max) const {
  return to_number(at(key), path(key), min, max);
}

std::optional<double> Fields::optional_number(std::string_view key, double min, double max) const {
  if (!has(key)) return std::nullopt;
  return number(key, min, max);
}

std::string Fields::string(std::string_view key) const {
  const json& value = at(key);
  if (!value.is_string()) throw Error(path(key), "must be a string, got " + json_kind(value));
  return value.get<std::string>();
}

std::optional<std::string> Fields::optional_string(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  return string(key);
}

std::optional<std::uint64_t> Fields::optional_seed(std::string_view key) const {
  const json* value = find(key);
  if (!value) return std::nullopt;
  if (value->is_number_unsigned()) return value->get<std::uint64_t>();
  // A signed integer: json built in C++ from an int (a parsed text holds 5 as unsigned).
  if (value->is_number_integer() && value->get<std::int64_t>() >= 0)
    return static_cast<std::uint64_t>(value->get<std::int64_t>());
  if (value->is_number_float() && value->get<double>() >= 0 && value->get<double>() <= 9007199254740992.0 &&
      std::floor(value->get<double>()) == value->get<double>())
    return static_cast<std::uint64_t>(value->get<double>());
  throw Error(path(key), "must be an integer of at least 0, got " + got(*value));
}

bool Fields::boolean(std::string_view key) const {
  const json& value = at(key);
  if (!value.is_boolean()) throw Error(path(key), "must be true or false, got " + got(value));
  return value.get<bool>();
}

std::optional<bool> Fields::optional_boolean(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  return boolean(key);
}

const json& Fields::array(std::string_view key) const {
  const json& value = at(key);
  if (!value.is_array()) throw Error(path(key), "must be an array, got " + json_kind(value));
  return value;
}

Fields Fields::object(std::string_view key) const { return Fields(at(key), path(key)); }

void Fields::refuse_unknown() const {
  for (const auto& item : object_.items()) {
    if (std::find(asked_.begin(), asked_.end(), item.key()) != asked_.end()) continue;
    std::string known;
    for (const auto& k : asked_) known += (known.empty() ? "" : ", ") + k;
    throw Error(path(excerpt(item.key())), known.empty() ? "unknown key" : "unknown key (known: " + known + ")");
  }
}

}  // namespace netlens
