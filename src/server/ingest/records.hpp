#pragma once
// Ingest records (docs/protocol.md "Ingest"): what a client outside netlens (a PyTorch script)
// sends to POST /api/ingest/v1/records, back to back in one body. Every record is
//   0 "NL"  2 u8 major version (1)  3 u8 kind  4 u32 meta_len (a multiple of 8, at most 64 KiB)
//   8 u32 payload_len  12 u32 CRC-32 (zlib's) of the meta_len + payload_len bytes that follow
//   16 meta: a JSON object, then NULs up to meta_len   then payload: raw little-endian tensors
// The meta's "tensors" list says where each tensor lies in the payload. The same bytes are kept
// in a run directory's records.nlrec.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace netlens::server::ingest {

inline constexpr std::uint8_t kMajorVersion = 1;
inline constexpr std::size_t kHeaderBytes = 16;
inline constexpr std::size_t kMaxMetaBytes = 64 * 1024;
inline constexpr std::size_t kMaxBodyBytes = 16 * 1024 * 1024;  // one POST; a record fits in it

enum class Kind : std::uint8_t { Hello = 1, Config = 2, Model = 3, Scalars = 4, Tensor = 6, Heartbeat = 12, Goodbye = 13 };

enum class Dtype { F32, F16, F64, I64, I32, U8 };

struct TensorRef {
  std::string name;
  Dtype dtype = Dtype::F32;
  std::vector<std::size_t> shape;
  std::string_view bytes;  // inside the body
  std::size_t count() const;
};

struct Record {
  std::uint8_t kind = 0;
  nlohmann::json meta;             // an object
  std::vector<TensorRef> tensors;  // from meta "tensors", checked against the payload
  std::string_view bytes;          // the whole record, as received
  const TensorRef* tensor(std::string_view name) const;  // nullptr when absent
};

// A body that cannot be read: `record` is the index of the record at fault.
struct BadRecords : Error {
  BadRecords(std::size_t record, const std::string& what, bool version = false)
      : Error("record " + std::to_string(record), what), wrong_version(version) {}
  bool wrong_version;
};

// Every record of `body`, in order, each checked (header, lengths, CRC, meta, tensors); throws
// BadRecords naming the first that is wrong. Records of kinds this netlens does not know are
// returned too (the caller skips and counts them).
std::vector<Record> parse_records(std::string_view body);

// One record's bytes: `meta` (an object) gets "tensors" describing `tensors`, laid out 8-byte
// aligned in the payload. For tests, seeds and the run writer.
struct TensorData {
  std::string name;
  Dtype dtype;
  std::vector<std::size_t> shape;
  std::string bytes;  // little-endian
};
std::string encode_record(std::uint8_t kind, nlohmann::json meta, const std::vector<TensorData>& tensors = {});

std::vector<float> to_floats(const TensorRef& t);          // F32, F16 or F64; throws Error otherwise
std::vector<double> to_doubles(const TensorRef& t);        // F32, F16 or F64
std::vector<std::int64_t> to_integers(const TensorRef& t);  // I32 or I64

std::uint32_t crc32_of(std::string_view bytes);

}  // namespace netlens::server::ingest
