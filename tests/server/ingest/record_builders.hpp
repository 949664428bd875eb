#pragma once
// Records as a client sends them, for the ingest tests: a hello, scalars, a Playground model
// and its weight snapshots in PyTorch's layout.
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "server/ingest/records.hpp"
#include "server/ingest/run_writer.hpp"

namespace ingest_test {

using netlens::server::ingest::Dtype;
using netlens::server::ingest::encode_record;
using netlens::server::ingest::Kind;
using netlens::server::ingest::TensorData;
using nlohmann::json;

template <class T>
std::string bytes_of(const std::vector<T>& v) {
  std::string out(v.size() * sizeof(T), '\0');
  if (!v.empty()) std::memcpy(out.data(), v.data(), out.size());
  return out;
}

inline std::string hello(const std::string& run, long seq, int world_size = 1) {
  return encode_record(static_cast<std::uint8_t>(Kind::Hello),
                       {{"run", run}, {"seq", seq}, {"rank", 0}, {"world_size", world_size}, {"config", {{"lr", 0.1}}}});
}

inline std::string scalar(const std::string& run, long seq, long step, double value, const std::string& tag = "loss") {
  return encode_record(static_cast<std::uint8_t>(Kind::Scalars), {{"run", run}, {"seq", seq}, {"tags", {tag}}},
                       {{"tag", Dtype::I32, {1}, bytes_of(std::vector<std::int32_t>{0})},
                        {"step", Dtype::I64, {1}, bytes_of(std::vector<std::int64_t>{step})},
                        {"value", Dtype::F64, {1}, bytes_of(std::vector<double>{value})}});
}

// A 2-3-1 relu network on the spiral, trained with binary cross-entropy (a logit out).
inline json playground_spec() {
  return {{"dataset", "spiral"}, {"features", {"x1", "x2"}}, {"hidden_layers", {{{"units", 3}, {"activation", "relu"}}}},
          {"loss", "binary_cross_entropy"}};
}

inline std::string model(const std::string& run, long seq, const json& spec = playground_spec()) {
  return encode_record(static_cast<std::uint8_t>(Kind::Model), {{"run", run}, {"seq", seq}, {"spec", spec}});
}

// Weights of the 2-3-1 network as torch.nn.Linear holds them ([out, in], then the bias), every
// value `base` + its index / 100.
inline std::string snapshot(const std::string& run, long seq, long step, float base) {
  std::vector<float> w1(6), b1(3), w2(3), b2(1);
  float v = base;
  for (auto* t : {&w1, &b1, &w2, &b2})
    for (float& x : *t) x = v, v += 0.01f;
  return encode_record(static_cast<std::uint8_t>(Kind::Tensor), {{"run", run}, {"seq", seq}, {"step", step}, {"role", "weights"}},
                       {{"0.weight", Dtype::F32, {3, 2}, bytes_of(w1)},
                        {"0.bias", Dtype::F32, {3}, bytes_of(b1)},
                        {"2.weight", Dtype::F32, {1, 3}, bytes_of(w2)},
                        {"2.bias", Dtype::F32, {1}, bytes_of(b2)}});
}

inline std::string goodbye(const std::string& run, long seq) {
  return encode_record(static_cast<std::uint8_t>(Kind::Goodbye), {{"run", run}, {"seq", seq}, {"status", "finished"}});
}

// Every record of `body` applied to `run`, then flushed, as the service does for one POST.
inline void apply_all(netlens::server::ingest::IngestRun& run, const std::string& body) {
  for (const auto& r : netlens::server::ingest::parse_records(body)) run.apply(r);
  run.flush();
}

}  // namespace ingest_test
