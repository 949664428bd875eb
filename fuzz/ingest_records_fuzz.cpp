// Fuzz target: a POST body of ingest records, read by server::ingest::parse_records. Any input
// must either give records that tile the body exactly, each tensor inside its record, or throw
// netlens::Error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/error.hpp"
#include "server/ingest/records.hpp"

using namespace netlens;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  try {
    std::size_t total = 0;
    for (const auto& r : server::ingest::parse_records(body)) {
      if (r.bytes.data() != body.data() + total || !r.meta.is_object()) std::abort();
      for (const auto& t : r.tensors)
        if (t.bytes.data() < r.bytes.data() || t.bytes.data() + t.bytes.size() > r.bytes.data() + r.bytes.size()) std::abort();
      total += r.bytes.size();
    }
    if (total != size) std::abort();
  } catch (const Error&) {
  }
  return 0;
}
