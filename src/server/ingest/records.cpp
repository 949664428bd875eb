#include "server/ingest/records.hpp"

#include <cstring>
#include <zlib.h>

#include "core/float16.hpp"
#include "core/json.hpp"

namespace netlens::server::ingest {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxTensors = 256;
constexpr std::size_t kMaxRank = 8;

struct DtypeName {
  const char* name;
  Dtype dtype;
  std::size_t size;
};
constexpr DtypeName kDtypes[] = {{"f32", Dtype::F32, 4}, {"f16", Dtype::F16, 2}, {"f64", Dtype::F64, 8},
                                 {"i64", Dtype::I64, 8}, {"i32", Dtype::I32, 4}, {"u8", Dtype::U8, 1}};

std::size_t dtype_size(Dtype d) {
  for (const auto& n : kDtypes)
    if (n.dtype == d) return n.size;
  return 0;
}
const char* dtype_name(Dtype d) {
  for (const auto& n : kDtypes)
    if (n.dtype == d) return n.name;
  return "?";
}

std::uint32_t u32_at(std::string_view b, std::size_t at) {
  std::uint32_t v;
  std::memcpy(&v, b.data() + at, 4);  // little-endian hosts only (CMakeLists.txt checks)
  return v;
}

void put_u32(std::string& out, std::uint32_t v) { out.append(reinterpret_cast<const char*>(&v), 4); }

template <class T>
T at(const TensorRef& t, std::size_t i) {
  T v;
  std::memcpy(&v, t.bytes.data() + i * sizeof(T), sizeof(T));
  return v;
}

// The meta's "tensors" list, each checked against the payload.
std::vector<TensorRef> read_tensors(const json& meta, std::string_view payload, std::size_t index) {
  std::vector<TensorRef> out;
  if (!meta.contains("tensors")) return out;
  const json& list = meta["tensors"];
  if (!list.is_array()) throw BadRecords(index, "meta \"tensors\" must be a list");
  if (list.size() > kMaxTensors) throw BadRecords(index, "more than " + std::to_string(kMaxTensors) + " tensors");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const json& t = list[i];
    const std::string where = "tensor " + std::to_string(i) + ": ";
    if (!t.is_object() || !t.contains("name") || !t["name"].is_string() || !t.contains("dtype") || !t["dtype"].is_string() ||
        !t.contains("shape") || !t["shape"].is_array() || !t.contains("offset") || !t["offset"].is_number_unsigned())
      throw BadRecords(index, where + "needs name, dtype, shape and offset");
    TensorRef ref;
    ref.name = t["name"].get<std::string>();
    const std::string dtype = t["dtype"].get<std::string>();
    std::size_t size = 0;
    for (const auto& n : kDtypes)
      if (dtype == n.name) ref.dtype = n.dtype, size = n.size;
    if (size == 0) throw BadRecords(index, where + "dtype '" + excerpt(dtype) + "' is not one of f32, f16, f64, i64, i32, u8");
    if (t["shape"].size() > kMaxRank) throw BadRecords(index, where + "more than " + std::to_string(kMaxRank) + " dimensions");
    std::size_t count = 1;
    for (const json& d : t["shape"]) {
      if (!d.is_number_unsigned()) throw BadRecords(index, where + "shape must hold sizes (whole numbers, 0 or more)");
      const auto n = d.get<std::uint64_t>();
      if (n > payload.size() || (n != 0 && count > payload.size() / n))
        throw BadRecords(index, where + "its shape is larger than the payload");
      ref.shape.push_back(static_cast<std::size_t>(n));
      count *= static_cast<std::size_t>(n);
    }
    const auto offset = t["offset"].get<std::uint64_t>();
    if (count > payload.size() / size || offset > payload.size() || count * size > payload.size() - offset)
      throw BadRecords(index, where + "'" + excerpt(ref.name) + "' lies past the payload's end (" +
                                  std::to_string(payload.size()) + " bytes)");
    ref.bytes = payload.substr(static_cast<std::size_t>(offset), count * size);
    out.push_back(std::move(ref));
  }
  return out;
}

}  // namespace

std::size_t TensorRef::count() const { return bytes.size() / dtype_size(dtype); }

const TensorRef* Record::tensor(std::string_view name) const {
  for (const auto& t : tensors)
    if (t.name == name) return &t;
  return nullptr;
}

std::uint32_t crc32_of(std::string_view bytes) {
  return static_cast<std::uint32_t>(
      crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}

std::vector<Record> parse_records(std::string_view body) {
  std::vector<Record> records;
  std::size_t pos = 0;
  while (pos < body.size()) {
    const std::size_t index = records.size();
    const std::string_view rest = body.substr(pos);
    if (rest.size() < kHeaderBytes)
      throw BadRecords(index, "the body ends inside its 16-byte header (" + std::to_string(rest.size()) + " bytes left)");
    if (rest[0] != 'N' || rest[1] != 'L') throw BadRecords(index, "bad magic: a record starts with \"NL\"");
    const auto major = static_cast<unsigned char>(rest[2]);
    if (major != kMajorVersion)
      throw BadRecords(index,
                       "ingest version " + std::to_string(major) + " is not spoken here; this netlens speaks version " +
                           std::to_string(kMajorVersion) + " (use a client of the same netlens release)",
                       true);
    const std::uint32_t meta_len = u32_at(rest, 4), payload_len = u32_at(rest, 8), crc = u32_at(rest, 12);
    if (meta_len > kMaxMetaBytes)
      throw BadRecords(index, "metadata of " + std::to_string(meta_len) + " bytes is over its limit of " +
                                  std::to_string(kMaxMetaBytes));
    if (meta_len % 8 != 0) throw BadRecords(index, "metadata length " + std::to_string(meta_len) + " is not a multiple of 8");
    const std::uint64_t length = std::uint64_t{kHeaderBytes} + meta_len + payload_len;
    if (length > rest.size())
      throw BadRecords(index, "its lengths (" + std::to_string(length) + " bytes) run past the body's end (" +
                                  std::to_string(rest.size()) + " bytes left)");
    const std::string_view checked = rest.substr(kHeaderBytes, meta_len + payload_len);
    if (crc32_of(checked) != crc) throw BadRecords(index, "CRC mismatch: the record was damaged");
    std::string_view meta_text = checked.substr(0, meta_len);
    while (!meta_text.empty() && meta_text.back() == '\0') meta_text.remove_suffix(1);
    Record r;
    r.kind = static_cast<std::uint8_t>(rest[3]);
    try {
      r.meta = parse_json(meta_text, "metadata");
    } catch (const Error& e) {
      throw BadRecords(index, e.what());
    }
    if (!r.meta.is_object()) throw BadRecords(index, "metadata must be a JSON object");
    r.tensors = read_tensors(r.meta, checked.substr(meta_len), index);
    r.bytes = rest.substr(0, static_cast<std::size_t>(length));
    records.push_back(std::move(r));
    pos += static_cast<std::size_t>(length);
  }
  return records;
}

std::string encode_record(std::uint8_t kind, json meta, const std::vector<TensorData>& tensors) {
  std::string payload;
  if (!tensors.empty()) {
    json list = json::array();
    for (const auto& t : tensors) {
      payload.resize((payload.size() + 7) / 8 * 8, '\0');
      list.push_back({{"name", t.name}, {"dtype", dtype_name(t.dtype)}, {"shape", t.shape}, {"offset", payload.size()}});
      payload += t.bytes;
    }
    meta["tensors"] = list;
  }
  std::string meta_text = meta.dump();
  meta_text.resize((meta_text.size() + 7) / 8 * 8, '\0');
  std::string out = "NL";
  out.push_back(static_cast<char>(kMajorVersion));
  out.push_back(static_cast<char>(kind));
  put_u32(out, static_cast<std::uint32_t>(meta_text.size()));
  put_u32(out, static_cast<std::uint32_t>(payload.size()));
  put_u32(out, crc32_of(meta_text + payload));
  return out + meta_text + payload;
}

std::vector<double> to_doubles(const TensorRef& t) {
  std::vector<double> out(t.count());
  for (std::size_t i = 0; i < out.size(); ++i) {
    switch (t.dtype) {
      case Dtype::F32: out[i] = at<float>(t, i); break;
      case Dtype::F64: out[i] = at<double>(t, i); break;
      case Dtype::F16: out[i] = half_to_float(at<std::uint16_t>(t, i)); break;
      default: throw Error(t.name, std::string("must hold floats (f32, f16 or f64), not ") + dtype_name(t.dtype));
    }
  }
  return out;
}

std::vector<float> to_floats(const TensorRef& t) {
  const auto d = to_doubles(t);
  return {d.begin(), d.end()};
}

std::vector<std::int64_t> to_integers(const TensorRef& t) {
  std::vector<std::int64_t> out(t.count());
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (t.dtype == Dtype::I64) out[i] = at<std::int64_t>(t, i);
    else if (t.dtype == Dtype::I32) out[i] = at<std::int32_t>(t, i);
    else throw Error(t.name, std::string("must hold integers (i64 or i32), not ") + dtype_name(t.dtype));
  }
  return out;
}

}  // namespace netlens::server::ingest
