#pragma once
// A session's share of the server's memory budget, reserved before what it is for is built.
#include <string>

#include "core/error.hpp"
#include "server/net/budget.hpp"

namespace netlens::server {

// Reserves `bytes` for `what` ("this run"), or throws Error("memory", ...) saying what it needs,
// what the server allows and what is in use, then `advice`.
inline Budget::Reservation reserve_memory(Budget& memory, std::size_t bytes, const std::string& what,
                                          const std::string& advice) {
  if (auto reservation = memory.reserve(bytes)) return std::move(*reservation);
  const auto mib = [](std::size_t b) { return std::to_string((b + (1 << 20) - 1) >> 20) + " MiB"; };
  throw Error("memory", what + " needs about " + mib(bytes) + "; the sessions of this server may use " +
                            mib(memory.limit()) + " in all (netlens serve --memory-limit) and " + mib(memory.used()) +
                            " are in use; " + advice);
}

}  // namespace netlens::server
