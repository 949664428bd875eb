#include "server/ingest/run_writer.hpp"

#include <cmath>
#include <unistd.h>

#include "core/atomic_file.hpp"
#include "core/json.hpp"
#include "nn/model_file.hpp"
#include "nn/onnx/import.hpp"
#include "train/snapshot.hpp"
#include "train/timeline.hpp"

namespace netlens::server::ingest {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr const char* kRecordsName = "records.nlrec";

json or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

long meta_long(const json& meta, const char* key, long fallback) {
  if (!meta.contains(key)) return fallback;
  if (!meta[key].is_number_integer()) throw Error(key, "must be a whole number");
  return meta[key].get<long>();
}

// What of hello's meta the manifest keeps, as text and numbers only.
json hello_fields(const json& hello) {
  json out = json::object();
  for (const char* key : {"run", "group", "host", "client", "torch", "backend"})
    if (hello.contains(key) && hello[key].is_string()) out[key] = excerpt(hello[key].get<std::string>(), 256);
  for (const char* key : {"rank", "world_size", "pid"})
    if (hello.contains(key) && hello[key].is_number_integer()) out[key] = hello[key];
  if (hello.contains("config") && hello["config"].is_object()) out["config"] = hello["config"];
  return out;
}

// The Playground network's weights in Network::params() order from PyTorch's: per dense layer
// its weight [units, inputs] (transposed here to inputs x units) and its bias [units].
std::vector<float> playground_weights(const train::RunSpec& spec, const Record& record) {
  std::vector<int> widths{static_cast<int>(spec.features.size())};
  for (const auto& l : spec.hidden_layers) widths.push_back(l.units);
  widths.push_back(train::output_units(spec));
  const std::size_t layers = widths.size() - 1;
  if (record.tensors.size() != 2 * layers)
    throw Error("tensors", "the model has " + std::to_string(layers) + " dense layers (a weight and a bias each), the snapshot " +
                               std::to_string(record.tensors.size()) + " tensors");
  std::vector<float> out;
  for (std::size_t l = 0; l < layers; ++l) {
    const auto in = static_cast<std::size_t>(widths[l]), units = static_cast<std::size_t>(widths[l + 1]);
    const TensorRef& w = record.tensors[2 * l];
    const TensorRef& b = record.tensors[2 * l + 1];
    if (w.shape != std::vector<std::size_t>{units, in} || b.shape != std::vector<std::size_t>{units})
      throw Error("tensors", "layer " + std::to_string(l) + " needs a weight [" + std::to_string(units) + ", " +
                                 std::to_string(in) + "] and a bias [" + std::to_string(units) + "], as torch.nn.Linear holds them");
    const auto wv = to_floats(w), bv = to_floats(b);
    for (std::size_t i = 0; i < in; ++i)
      for (std::size_t u = 0; u < units; ++u) out.push_back(wv[u * in + i]);
    out.insert(out.end(), bv.begin(), bv.end());
  }
  return out;
}

std::size_t parameter_count(const train::RunSpec& spec) {
  std::size_t params = 0, width = spec.features.size();
  for (const auto& l : spec.hidden_layers) params += (width + 1) * static_cast<std::size_t>(l.units), width = l.units;
  return params + (width + 1) * static_cast<std::size_t>(train::output_units(spec));
}

}  // namespace

bool valid_run_name(const std::string& name) {
  if (name.empty() || name.size() > 64 || name[0] == '.') return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') return false;
  return true;
}

IngestRun::IngestRun(fs::path dir, const json* hello) : dir_(std::move(dir)) {
  const fs::path manifest = dir_ / train::kManifestName;
  if (fs::exists(manifest)) {
    manifest_ = read_json_file(manifest.string(), "manifest");
    if (!manifest_.is_object() || manifest_.value("source", "") != "ingested" || !manifest_.contains("ingest"))
      throw Error("run", dir_.filename().string() + " is a run of netlens's own, not an ingested one; choose another name");
    if (manifest_.contains("spec")) spec_ = train::parse_run_spec(manifest_["spec"]);
    if (manifest_["ingest"].value("image", false)) image_ = ImageRun::reopen(dir_);
  } else {
    if (!hello) throw Error("run", "no run named '" + dir_.filename().string() + "': a stream starts with its hello record");
    fs::create_directories(dir_);
    manifest_ = {{"format", "netlens-run"},
                 {"version", train::kRunFormatVersion},
                 {"source", "ingested"},
                 {"ingest",
                  {{"status", "live"}, {"next_seq", 0}, {"records", 0}, {"duplicates", 0}, {"gaps", 0},
                   {"skipped", 0}, {"snapshots", 0}, {"step", nullptr}, {"last_loss", nullptr}, {"dropped", json::object()}}},
                 {"schedule", {{"kind", "default"}}},
                 {"weights", "float16"},
                 {"checkpoints", json::array()}};
  }
  records_ = std::fopen((dir_ / kRecordsName).c_str(), "ab");
  if (!records_) throw Error((dir_ / kRecordsName).string(), "cannot open to append");
}

IngestRun::~IngestRun() {
  if (records_) std::fclose(records_);
}

long IngestRun::next_seq() const { return manifest_["ingest"]["next_seq"].get<long>(); }

std::optional<std::string> IngestRun::warning() const {
  const json& in = manifest_["ingest"];
  if (in.contains("model_error")) return in["model_error"].get<std::string>();
  return std::nullopt;
}

Applied IngestRun::apply(const Record& record) {
  json& in = manifest_["ingest"];
  const long seq = meta_long(record.meta, "seq", -1);
  if (seq < 0) throw Error("seq", "every record needs its sequence number (0, 1, 2, ...)");
  if (seq < next_seq()) {
    in["duplicates"] = in["duplicates"].get<long>() + 1;
    return Applied::Duplicate;
  }
  if (seq > next_seq()) in["gaps"] = in["gaps"].get<long>() + (seq - next_seq());
  Applied applied = Applied::Accepted;
  switch (static_cast<Kind>(record.kind)) {
    case Kind::Hello: {
      const json fields = hello_fields(record.meta);
      for (const auto& [key, value] : fields.items()) in[key] = value;
      in["status"] = "live";
      break;
    }
    case Kind::Config:
      if (record.meta.contains("config") && record.meta["config"].is_object()) in["config"] = record.meta["config"];
      break;
    case Kind::Model: apply_model(record); break;
    case Kind::Scalars: apply_scalars(record); break;
    case Kind::Tensor: apply_snapshot(record); break;
    case Kind::Heartbeat:
      if (record.meta.contains("dropped") && record.meta["dropped"].is_object()) in["dropped"] = record.meta["dropped"];
      break;
    case Kind::Goodbye:
      in["status"] = excerpt(record.meta.value("status", std::string("finished")), 32);
      if (record.meta.contains("dropped") && record.meta["dropped"].is_object()) in["dropped"] = record.meta["dropped"];
      break;
    default:
      in["skipped"] = in["skipped"].get<long>() + 1;
      applied = Applied::Skipped;
  }
  if (std::fwrite(record.bytes.data(), 1, record.bytes.size(), records_) != record.bytes.size())
    throw Error((dir_ / kRecordsName).string(), "cannot append (is the disk full?)");
  in["next_seq"] = seq + 1;
  in["records"] = in["records"].get<long>() + 1;
  return applied;
}

void IngestRun::apply_model(const Record& record) {
  json& in = manifest_["ingest"];
  if (record.meta.contains("layers") && record.meta["layers"].is_array()) in["layers"] = record.meta["layers"];
  in.erase("model_error");
  try {
    std::optional<nn::Model> model;
    if (const TensorRef* onnx = record.tensor("onnx")) {
      model = nn::import_onnx(onnx->bytes, "model");
    } else if (!record.meta.contains("spec") && in.contains("layers")) {
      if (auto config = image_config_from_layers(in["layers"])) {
        nn::ImageNetworkSpec spec = nn::parse_image_network(*config);
        check_image_run_size(spec);  // before building it
        nn::Network network = nn::build_image_network(spec, 0);
        model = nn::Model{{{"config", *config}, {"source", "ingested"}}, std::move(spec), std::move(network)};
      }
    }
    if (model && model->spec.input_features == 0) {
      image_ = ImageRun::create(dir_, std::move(*model));
      in["model"] = kImageModelName;
      in["image"] = true;
      in["image_checkpoints"] = 0;
    } else if (model) {
      nn::save_model(dir_ / kImageModelName, model->header, model->network);  // a flat network: the file, no views
      in["model"] = kImageModelName;
    }
    if (record.meta.contains("spec")) {
      train::RunSpec spec = train::parse_run_spec(record.meta["spec"]);
      if (spec_ && !train::same_data_and_network(*spec_, spec))
        throw Error("spec", "differs from the network this run already has");
      spec_ = spec;
      manifest_["spec"] = train::to_json(spec);
      manifest_["train_size"] = std::max(1L, std::lround(spec.num_samples * spec.train_ratio));
      manifest_["classes"] = train::num_classes(spec);
      manifest_["parameters"] = parameter_count(spec);
    }
  } catch (const Error& e) {
    in["model_error"] = std::string("the views cannot show this model: ") + e.what();
  }
}

void IngestRun::apply_scalars(const Record& record) {
  json& in = manifest_["ingest"];
  const TensorRef* tag = record.tensor("tag");
  const TensorRef* step = record.tensor("step");
  const TensorRef* value = record.tensor("value");
  if (!tag || !step || !value || !record.meta.contains("tags") || !record.meta["tags"].is_array())
    throw Error("scalars", "need \"tags\" and the tensors tag, step and value");
  const auto tags = to_integers(*tag), steps = to_integers(*step);
  const auto values = to_doubles(*value);
  if (steps.size() != tags.size() || values.size() != tags.size()) throw Error("scalars", "tag, step and value differ in length");
  const json& names = record.meta["tags"];
  for (std::size_t i = 0; i < tags.size(); ++i) {
    if (tags[i] < 0 || static_cast<std::size_t>(tags[i]) >= names.size() || !names[tags[i]].is_string())
      throw Error("scalars", "tag index " + std::to_string(tags[i]) + " is not in \"tags\"");
    in["step"] = std::max<long>(in["step"].is_null() ? steps[i] : in["step"].get<long>(), steps[i]);
    if (names[tags[i]].get<std::string>().rfind("loss", 0) == 0) in["last_loss"] = or_null(values[i]);
  }
}

// A probe batch's activations: every tensor a float one of the same batch (its first dimension).
// Kept in records.nlrec; the manifest counts them and says which layers they hold.
void IngestRun::apply_activations(const Record& record) {
  if (record.tensors.empty()) throw Error("activations", "need one tensor per layer, named by the layer");
  const std::size_t batch = record.tensors[0].shape.empty() ? 0 : record.tensors[0].shape[0];
  json layers = json::array();
  for (const TensorRef& t : record.tensors) {
    if (t.dtype != Dtype::F32 && t.dtype != Dtype::F16)
      throw Error("activations", "'" + excerpt(t.name) + "' must be f32 or f16");
    if (t.shape.empty() || t.shape[0] != batch || batch == 0)
      throw Error("activations", "'" + excerpt(t.name) + "' must hold the probe batch of " + std::to_string(batch) +
                                     " first, as the first tensor does");
    layers.push_back(excerpt(t.name, 128));
  }
  json& in = manifest_["ingest"];
  in["activations"] = in.value("activations", 0L) + 1;
  in["probe"] = {{"batch", batch}, {"layers", std::move(layers)}};
}

void IngestRun::apply_snapshot(const Record& record) {
  json& in = manifest_["ingest"];
  const std::string role = record.meta.value("role", std::string("weights"));
  if (role == "activations") return apply_activations(record);
  const bool weights = role == "weights";
  if (image_ && weights) {
    const long steps = meta_long(record.meta, "step", 0);
    try {
      image_->apply(record, meta_long(record.meta, "examples", steps), steps, static_cast<int>(meta_long(record.meta, "epoch", 0)),
                    in["last_loss"].is_number() ? in["last_loss"].get<double>() : NAN);
      in["image_checkpoints"] = image_->checkpoints();
    } catch (const Error& e) {  // the record is kept; the views say why they cannot show it
      in["model_error"] = std::string("the views cannot show this model's snapshots: ") + e.what();
    }
  }
  if (!spec_ || !weights) {
    in["snapshots"] = in["snapshots"].get<long>() + 1;
    return;  // kept in records.nlrec only (and, for an image model, as its checkpoints)
  }
  train::Snapshot s;
  // A step of the ingested run counts as an epoch of the Playground's (its training set seen
  // once), so the page's epoch is the step and the Timeline places each checkpoint at it
  // (examples / train_size); the client's own "examples" count its minibatches' rows instead.
  s.steps = meta_long(record.meta, "step", 0);
  s.epoch = static_cast<int>(meta_long(record.meta, "epoch", s.steps));
  s.examples = s.steps * manifest_["train_size"].get<long>();
  s.train_loss = in["last_loss"].is_number() ? in["last_loss"].get<double>() : NAN;
  s.test_loss = NAN;
  s.weights = playground_weights(*spec_, record);
  json& list = manifest_["checkpoints"];
  char name[48];
  std::snprintf(name, sizeof name, "checkpoint-%05zu.bin", list.size());
  train::write_snapshot(dir_ / name, s);
  list.push_back({{"file", name}, {"examples", s.examples}, {"steps", s.steps}, {"epoch", s.epoch},
                  {"train_loss", or_null(s.train_loss)}, {"test_loss", nullptr}});
  in["snapshots"] = in["snapshots"].get<long>() + 1;
}

void IngestRun::flush() {
  if (std::fflush(records_) != 0 || ::fsync(fileno(records_)) != 0)
    throw Error((dir_ / kRecordsName).string(), "cannot write (is the disk full?)");
  write_file_atomically(dir_ / train::kManifestName, manifest_.dump(1) + "\n");
}

}  // namespace netlens::server::ingest
