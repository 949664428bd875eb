#pragma once
// Tables that map an enum to the names users write in specs, and back, with one error format:
// "optimizer: unknown optimizer 'adamw' (known: sgd, momentum, adam)".
#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace netlens {

template <class E, std::size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

template <class E, std::size_t N>
std::string_view name_of(const NameTable<E, N>& table, E value) {
  for (const auto& [k, name] : table)
    if (k == value) return name;
  return "?";
}

// Every name of the table, in its order (for lists a user picks from).
template <class E, std::size_t N>
std::vector<std::string_view> names_of(const NameTable<E, N>& table) {
  std::vector<std::string_view> names;
  for (const auto& entry : table) names.push_back(entry.second);
  return names;
}

template <class E, std::size_t N>
E parse_name(const NameTable<E, N>& table, std::string_view name, const std::string& where, std::string_view what) {
  std::string known;
  for (const auto& [k, n] : table) {
    if (n == name) return k;
    known += (known.empty() ? "" : ", ") + std::string(n);
  }
  throw Error(where, "unknown " + std::string(what) + " '" + excerpt(name) + "' (known: " + known + ")");
}

}  // namespace netlens
