#include "server/ingest/image_run.hpp"

#include <map>

#include "core/error.hpp"
#include "core/json.hpp"
#include "nn/layers/conv2d.hpp"
#include "nn/layers/dense.hpp"
#include "train/snapshot.hpp"

namespace netlens::server::ingest {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string shape_text(const std::vector<std::size_t>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

std::vector<std::size_t> sizes(const Shape& shape) { return {shape.begin(), shape.end()}; }

// torch.nn module types netlens builds as a layer of the same function, by layer type.
const std::map<std::string, std::string, std::less<>> kTorchLayers{
    {"ReLU", "relu"},     {"Tanh", "tanh"},         {"Sigmoid", "sigmoid"}, {"ELU", "elu"},
    {"Softplus", "softplus"}, {"SiLU", "silu"},     {"Mish", "mish"},       {"Softmax", "softmax"},
    {"LogSoftmax", "log_softmax"}, {"Flatten", "flatten"}, {"Dropout", "dropout"}};

// The shape `key` of a layer ([1, 8, 28, 28]), or null when it has none of whole numbers.
const json* shape_of(const json& layer, const char* key) {
  if (!layer.contains(key) || !layer[key].is_array() || layer[key].empty()) return nullptr;
  for (const json& d : layer[key])
    if (!d.is_number_integer() || d.get<long>() < 1) return nullptr;
  return &layer[key];
}

// A square int attribute (kernel_size 3 or [3, 3]); -1 when absent or not square.
int square(const json& layer, const char* key) {
  if (!layer.contains(key)) return -1;
  const json& v = layer[key];
  if (v.is_number_integer()) return v.get<int>();
  if (v.is_array() && v.size() == 2 && v[0].is_number_integer() && v[0] == v[1]) return v[0].get<int>();
  return -1;
}

}  // namespace

std::optional<json> image_config_from_layers(const json& layers) {
  if (!layers.is_array() || layers.empty()) return std::nullopt;
  for (const json& l : layers)
    if (!l.is_object() || !l.contains("type") || !l["type"].is_string()) return std::nullopt;
  const json* in = shape_of(layers.front(), "in");
  if (!in || in->size() != 4 || (*in)[2] != (*in)[3]) return std::nullopt;  // N, C, H, W
  json out = json::array();
  for (const json& l : layers) {
    const std::string type = l["type"].get<std::string>();
    if (type == "Identity") continue;
    if (const auto it = kTorchLayers.find(type); it != kTorchLayers.end()) {
      json layer{{"type", it->second}};
      if (type == "Dropout" && l.contains("p") && l["p"].is_number()) layer["rate"] = l["p"];  // parse checks its range
      out.push_back(std::move(layer));
    } else if (type == "Conv2d") {
      const json* weight = l.contains("params") && l["params"].is_object() ? shape_of(l["params"], "weight") : nullptr;
      const int k = square(l, "kernel_size"), stride = square(l, "stride"), pad = square(l, "padding");
      if (!weight || k < 1 || stride < 1 || pad < 0 || square(l, "groups") > 1 || square(l, "dilation") > 1) return std::nullopt;
      out.push_back({{"type", "conv"}, {"out_channels", (*weight)[0]}, {"filter_size", k}, {"stride", stride}, {"padding", pad}});
    } else if (type == "MaxPool2d" || type == "AvgPool2d") {
      const int k = square(l, "kernel_size"), stride = square(l, "stride");
      if (k < 1 || square(l, "padding") > 0) return std::nullopt;
      out.push_back({{"type", type == "MaxPool2d" ? "maxpool" : "avgpool"}, {"filter_size", k}, {"stride", stride < 1 ? k : stride}});
    } else if (type == "Linear") {
      const json* shape = shape_of(l, "out");
      if (!shape) return std::nullopt;
      out.push_back({{"type", "dense"}, {"out_features", shape->back()}});
    } else {
      return std::nullopt;
    }
  }
  const json* last = shape_of(layers.back(), "out");
  if (!last || last->size() != 2) return std::nullopt;
  return json{{"in_channels", (*in)[1]}, {"input_size", (*in)[2]}, {"num_classes", (*last)[1]}, {"layers", out}};
}

std::vector<float> torch_weights(nn::Network& network, const Record& record) {
  std::vector<float> out;
  std::size_t next = 0;
  for (std::size_t i = 0; i < network.size(); ++i) {
    nn::Layer& layer = network.layer(i);
    const auto* dense = dynamic_cast<const nn::Dense*>(&layer);
    const auto* conv = dynamic_cast<const nn::Conv2D*>(&layer);
    for (const nn::Param& p : layer.params()) {
      const std::string where = "tensors[" + std::to_string(next) + "]";
      if (next >= record.tensors.size())
        throw Error("tensors", "the snapshot has " + std::to_string(record.tensors.size()) + " tensors; the model's " +
                                   layer.name() + " needs more (a weight and a bias per conv and linear layer)");
      const TensorRef& t = record.tensors[next++];
      std::vector<std::size_t> want = sizes(p.value->shape());
      const bool transpose = dense && want.size() == 2;
      if (transpose) std::swap(want[0], want[1]);  // torch.nn.Linear holds [out, in]
      if (conv && want.size() == 2) {  // netlens keeps [out, in·k·k]: the same values as OIHW
        const auto& c = conv->shape();
        const auto in = static_cast<std::size_t>(c.in_channels), k = static_cast<std::size_t>(c.filter);
        want = {want[0], in, k, k};
      }
      if (t.shape != want)
        throw Error(where, "'" + excerpt(t.name) + "' is " + shape_text(t.shape) + " but " + layer.name() + " needs " +
                               shape_text(want) + (transpose ? " (torch.nn.Linear's [out, in])" : ""));
      const std::vector<float> v = to_floats(t);
      if (!transpose) {
        out.insert(out.end(), v.begin(), v.end());
        continue;
      }
      const std::size_t rows = want[0], cols = want[1];
      for (std::size_t c = 0; c < cols; ++c)
        for (std::size_t r = 0; r < rows; ++r) out.push_back(v[r * cols + c]);
    }
  }
  if (next != record.tensors.size())
    throw Error("tensors", "the snapshot has " + std::to_string(record.tensors.size()) + " tensors, the model " +
                               std::to_string(next) + " (a layer netlens folds, such as BatchNorm, cannot take streamed weights)");
  return out;
}

void check_image_run_size(const nn::ImageNetworkSpec& spec) {
  if (spec.param_count > kMaxImageRunParams)
    throw Error("model", "the network has " + std::to_string(spec.param_count) + " weights; an ingested image model has at most " +
                             std::to_string(kMaxImageRunParams) + " (its checkpoints are kept in memory); its records are kept");
}

ImageRun ImageRun::create(fs::path dir, nn::Model model) {
  check_image_run_size(model.spec);
  ImageRun run(std::move(dir), std::move(model));
  nn::save_model(run.dir_ / kImageModelName, run.model_.header, run.model_.network);
  fs::remove_all(run.dir_ / kImageCheckpointsName);
  return run;
}

std::optional<ImageRun> ImageRun::reopen(const fs::path& dir) {
  if (!fs::exists(dir / kImageModelName)) return std::nullopt;
  std::optional<ImageRun> run(ImageRun(dir, nn::load_image_model(dir / kImageModelName)));
  run->timeline_ = train::ImageTimeline::load(dir / kImageCheckpointsName, run->model_.network.param_count());
  return run;
}

void ImageRun::apply(const Record& record, long examples, long steps, int epoch, double loss) {
  const std::vector<float> weights = torch_weights(model_.network, record);
  train::restore_weights(model_.network, weights, "snapshot");
  timeline_.add(model_.network, examples, steps, epoch, loss);
  timeline_.save(dir_ / kImageCheckpointsName);
  nn::save_model(dir_ / kImageModelName, model_.header, model_.network);
}

}  // namespace netlens::server::ingest
