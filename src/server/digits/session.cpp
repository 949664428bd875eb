#include "server/digits/session.hpp"

#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <iostream>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "data/digit_image.hpp"
#include "data/idx.hpp"
#include "data/resize.hpp"
#include "nn/layers/conv2d.hpp"
#include "nn/layers/pool.hpp"
#include "server/common/memory.hpp"
#include "server/common/wire.hpp"
#include "server/ingest/image_run.hpp"
#include "train/run_folder.hpp"

namespace netlens::server::digits {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {
constexpr auto kRefresh = std::chrono::milliseconds(300);     // progress and the drawing's activations while training
constexpr auto kWeightsRefresh = std::chrono::milliseconds(1000);
constexpr char kActivationsMagic[5] = "NLDA";
constexpr char kWeightsMagic[5] = "NLDW";

json layer(const char* type, json fields = json::object()) {
  fields["type"] = type;
  return fields;
}
}  // namespace

json digits_config(const std::string& model) {
  json layers = json::array();
  if (model == "cnn") {
    for (int channels : {8, 16}) {
      layers.push_back(layer("conv", {{"out_channels", channels}, {"filter_size", 3}, {"stride", 1}, {"padding", 1}}));
      layers.push_back(layer("relu"));
      layers.push_back(layer("maxpool", {{"filter_size", 2}, {"stride", 2}}));
    }
  }
  layers.push_back(layer("flatten"));
  for (int units : model == "cnn" ? std::vector<int>{128} : std::vector<int>{128, 64}) {
    layers.push_back(layer("dense", {{"out_features", units}}));
    layers.push_back(layer("relu"));
  }
  layers.push_back(layer("dense", {{"out_features", 10}}));
  layers.push_back(layer("softmax"));
  return {{"epochs", 2}, {"patience", 2}, {"batch_size", model == "cnn" ? 32 : 64},
          {"validation_subset_ratio", 0.5}, {"percent_of_train_data_to_use", 1.0},
          {"percent_train_data_to_use_for_validation", 0.1}, {"num_classes", 10}, {"input_size", 28}, {"in_channels", 1},
          {"learning_rate_decay", 0.5}, {"model_output_filename", "digits_" + model}, {"layers", layers}};
}

std::size_t network_bytes(const train::ImageConfig& config, bool training) {
  return network_bytes(config.network, config.batch_size, training);
}

std::size_t network_bytes(const nn::ImageNetworkSpec& spec, int batch_size, bool training) {
  const nn::Network network = nn::build_image_network(spec, 1);
  const std::size_t params = const_cast<nn::Network&>(network).param_count();
  std::size_t acts = 0;
  Shape shape = network.input_shape();
  for (std::size_t i = 0; i < network.size(); ++i) {
    shape = network.layer(i).output_shape(shape);
    std::size_t n = 1;
    for (int d : shape) n *= static_cast<std::size_t>(d);
    acts += n;
  }
  const auto batch = static_cast<std::size_t>(batch_size);
  // The shown network and a checkpoint's (weights, one sample's activations), the checkpoints
  // as float16; training adds gradients, two moments, the best copy and a batch's activations
  // and their gradients.
  std::size_t bytes = 2 * (params + 2 * acts) * sizeof(float) + train::kMaxImageCheckpoints * params * 2;
  if (training) bytes += (4 * params + 4 * batch * acts) * sizeof(float);
  return bytes;
}

DigitsSession::DigitsSession(Outbox& outbox, DigitsOptions options, Budget& memory, ImageDataCache& data)
    : SessionActor(outbox, "netlens digits", std::chrono::milliseconds(0)),
      options_(std::move(options)),
      memory_(memory),
      data_cache_(data) {
  start();
}

DigitsSession::~DigitsSession() { stop(); }

Command DigitsSession::parse(const std::string& type, const json& message) const { return parse_command(type, message); }

std::string DigitsSession::coalescing_key(const Command& command) const {
  return std::holds_alternative<Infer>(command) ? "infer" : "";
}

void DigitsSession::begin() {
  send_text(hello_header("digits", kProtocolVersion).dump());
  send_models();
  try {
    load_or_train("mnist", "mlp", false);
  } catch (const Error& e) {
    send_error(std::nullopt, std::string("model: ") + e.what());
  }
}

void DigitsSession::tick() {
  train_for_a_while();
  if (training_ && Clock::now() - last_refresh_ >= kRefresh) {
    last_refresh_ = Clock::now();
    send_progress(false);
    if (shown_checkpoint_ < 0) infer();  // a checkpoint on show does not change as the run goes on
    if (shown_checkpoint_ < 0 && Clock::now() - last_weights_ >= kWeightsRefresh) {
      last_weights_ = Clock::now();
      send_weights();
    }
  }
}

// Training failed (out of memory, say): the run ends and the page is told why.
void DigitsSession::recover() {
  end_run("failed");
  training_.reset();
  network_ = nullptr;
}

// The connection or the server is closing: a run that has finished an epoch is saved as
// `stop` would save it, so closing a tab or stopping the server loses no finished epoch.
void DigitsSession::finish() {
  if (training_ && training_->epoch() == 0) end_run("interrupted");
  if (!training_ || training_->epoch() == 0) return;
  try {
    save_training("interrupted");
  } catch (const std::exception& e) {
    std::cerr << "netlens: digits: cannot save the run in progress: " << e.what() << "\n";
  }
}

void DigitsSession::apply(Command& command) {
  std::visit([this](const auto& c) { on(c); }, command);
}

void DigitsSession::on(const Infer& c) {
  drawing_ = data::prepare_digit(c.pixels, c.height, c.width);
  infer();
}

void DigitsSession::on(const Train& c) { start_training(c.data, c.model); }
void DigitsSession::on(const Load& c) { load_or_train(c.data, c.model, false); }

// A file of the models folder, whatever trained it: a .nlmodel, or a .onnx imported as it is read.
void DigitsSession::on(const Open& c) {
  const auto path = options_.models_dir / c.file;
  if (!std::filesystem::is_regular_file(path)) throw Error("file", "no model named '" + excerpt(c.file) + "' in the models folder");
  open_model(path, c.file, "");
}

void DigitsSession::on(const OpenRun& c) {
  if (options_.runs_dir.empty()) throw Error("run", "this server saves no runs (serve --runs)");
  const auto dir = train::existing_run(options_.runs_dir, c.run);
  const auto path = dir / server::ingest::kImageModelName;
  if (!std::filesystem::is_regular_file(path))
    throw Error("run", "'" + excerpt(c.run) + "' has no image model: Digits opens a run that streamed an image network "
                       "(its ONNX bytes, or a layer list of conv, pool and linear layers); the Runs page says which views show it");
  open_model(path, c.run, c.run);
}

void DigitsSession::open_model(const std::filesystem::path& path, const std::string& name, const std::string& run) {
  nn::Model loaded = nn::load_image_model(path);
  if (loaded.spec.in_channels != 1)
    throw Error("file", name + " takes " + std::to_string(loaded.spec.in_channels) +
                            " channels; the pad draws one (a grey 28 × 28 digit)");
  if (loaded.spec.num_classes != 10)
    throw Error("file", name + " answers " + std::to_string(loaded.spec.num_classes) +
                            " classes; the Digits view shows ten (digits or Fashion-MNIST's clothes)");
  auto reservation = reserve_memory(memory_, network_bytes(loaded.spec, 1, false), "this model",
                                    "close another tab, or start the server with a larger limit");
  end_run("interrupted");
  training_.reset();
  model_.reset();
  network_ = nullptr;
  run_name_ = run;
  reservation_ = std::move(reservation);
  model_ = std::make_unique<nn::Model>(std::move(loaded));
  const std::string dataset = model_->header.value("dataset", "");
  data_name_ = dataset == "fashion-mnist" ? dataset : "mnist";
  model_name_ = name;
  try {
    timeline_ = train::ImageTimeline::load(std::filesystem::path(path).replace_extension(".checkpoints"),
                                           model_->network.param_count());
  } catch (const Error& e) {
    timeline_ = {};
    send_error(std::nullopt, std::string("checkpoints: ") + e.what());  // the model itself is fine
  }
  use_network(model_->network, model_->spec, model_->header);
  infer();
}

void DigitsSession::send_models() {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(options_.models_dir, ec)) {
    const auto ext = e.path().extension();
    if (e.is_regular_file(ec) && (ext == ".nlmodel" || ext == ".onnx")) files.push_back(e.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  send_text(json{{"type", "models"}, {"files", files}}.dump());
}

void DigitsSession::on(const Stop&) {
  if (training_) finish_training("stopped");
}

std::string DigitsSession::data_dir(const std::string& data) const {
  return data == "mnist" && !options_.mnist_dir.empty() ? options_.mnist_dir : train::dataset_dir(data);
}

std::filesystem::path DigitsSession::model_path(const std::string& data, const std::string& model) const {
  return options_.models_dir / (data + "-" + model + ".nlmodel");
}

std::filesystem::path DigitsSession::timeline_path(const std::string& data, const std::string& model) const {
  return options_.models_dir / (data + "-" + model + ".checkpoints");
}

void DigitsSession::use_network(nn::Network& network, const nn::ImageNetworkSpec& spec, const json& info) {
  network_ = &network;
  spec_ = spec;
  info_ = info;
  stages_ = probe::network_stages(network);
  ws_ = network.make_workspace(1);
  checkpoint_network_ = std::make_unique<nn::Network>(nn::build_image_network(spec, 1));
  checkpoint_ws_ = checkpoint_network_->make_workspace(1);
  shown_checkpoint_ = -1;
  send_model();
  send_checkpoints();
}

nn::Network& DigitsSession::shown() { return shown_checkpoint_ < 0 ? *network_ : *checkpoint_network_; }

// A checkpoint's weights go into a network of their own, so a run in training goes on untouched.
void DigitsSession::on(const ShowCheckpoint& command) {
  const int index = command.index;
  if (!network_) throw Error("no model yet");
  const auto& list = timeline_.checkpoints();
  if (index >= static_cast<int>(list.size()))
    throw Error("index", std::to_string(index) + " is past the last checkpoint (" +
                                  std::to_string(static_cast<int>(list.size()) - 1) + ")");
  if (index >= 0) train::restore_weights(*checkpoint_network_, list[static_cast<std::size_t>(index)].weights, "checkpoint");
  shown_checkpoint_ = index;
  send_weights();
  infer();
}

void DigitsSession::send_checkpoints() {
  json list = json::array();
  for (const auto& c : timeline_.checkpoints()) {
    json item{{"examples", c.examples}, {"epoch", c.epoch}};
    if (std::isfinite(c.test_loss)) item["loss"] = c.test_loss;
    list.push_back(std::move(item));
  }
  send_text(json{{"type", "checkpoints"}, {"shown", shown_checkpoint_}, {"list", std::move(list)}}.dump());
}

void DigitsSession::send_model() {
  json trained = nullptr;
  if (info_.contains("test_accuracy")) trained = {{"epochs", info_["epochs"]}, {"test_accuracy", info_["test_accuracy"]}};
  send_text(json{{"type", "model"},
             {"data", data_name_},
             {"model", model_name_},
             {"classes", train::class_names(data_name_)},
             {"input_size", spec_.input_size},
             {"stages", stages_message()},
             {"trained", trained},
             {"run", run_name_.empty() ? json(nullptr) : json(run_name_)}}
                .dump());
  send_weights();
}

// The stages, conv and pool ones with how they slide over their input (kernel, stride,
// padding), so that the page shows a unit's input patch without guessing them from the shapes.
json DigitsSession::stages_message() const {
  json out = probe::stages_json(stages_);
  for (std::size_t i = 0; i < stages_.size(); ++i) {
    const probe::Stage& s = stages_[i];
    if (s.kind == "conv") {
      const auto& c = dynamic_cast<const nn::Conv2D&>(network_->layer(static_cast<std::size_t>(s.layer))).shape();
      out[i].update({{"kernel", c.filter}, {"stride", c.stride}, {"padding", c.padding}});
    } else if (s.kind == "pool") {
      // A pool stage shows its layer's output, acts[layer + 1].
      const auto& p = dynamic_cast<const nn::Pool2D&>(network_->layer(s.act - 1)).shape();
      out[i].update({{"kernel", p.filter}, {"stride", p.stride}, {"padding", 0}});
    }
  }
  return out;
}

void DigitsSession::send_weights() {
  const std::vector<Tensor> weights = probe::stage_weights(stages_, shown());
  std::vector<const Tensor*> refs;
  for (const auto& w : weights) refs.push_back(&w);
  send_binary(encode_tensors(kWeightsMagic, seq_, refs));
}

void DigitsSession::send_progress(bool done) {
  if (!training_) return;
  json p{{"type", "progress"},
         {"data", data_name_},
         {"model", model_name_},
         {"phase", done ? "done" : "training"},
         {"epoch", training_->epoch()},
         {"epochs", training_->config().epochs},
         {"step", step_in_epoch_},
         {"steps", training_->steps_per_epoch()}};
  if (recorder_) p["run"] = recorder_->name();  // the page links it to Lurk, which follows it
  if (last_epoch_.epoch > 0) {
    p["validation_loss"] = last_epoch_.validation_loss;
    p["validation_accuracy"] = last_epoch_.validation_accuracy;
  }
  send_text(p.dump());
}

// The newest drawing through the network: a "prediction" and its tensors (the prepared 28 × 28
// image, then each stage's values).
void DigitsSession::infer() {
  if (drawing_.empty() || !network_) return;
  const int size = spec_.input_size;
  nn::Workspace& ws = shown_checkpoint_ < 0 ? ws_ : checkpoint_ws_;
  data::resize_area(drawing_.data(), data::kDigitSize, data::kDigitSize, ws.input().data(), size, size);
  shown().forward(ws, 1);
  const std::vector<Tensor> values = probe::stage_values(stages_, ws);
  ++seq_;
  const json prediction{{"type", "prediction"}, {"seq", seq_}, {"checkpoint", shown_checkpoint_},
                        {"probabilities", values.back().values()}};
  Tensor image({data::kDigitSize, data::kDigitSize});
  image.values() = drawing_;
  std::vector<const Tensor*> refs{&image};
  for (const auto& v : values) refs.push_back(&v);
  // Only the newest drawing's answer matters: a prediction and its activations travel together.
  publish({text_message(prediction.dump()),
           {std::make_shared<const std::string>(encode_tensors(kActivationsMagic, seq_, refs)), true}});
}

// A random test image of class `label` from the current data set, 28 × 28.
void DigitsSession::on(const Sample& command) {
  const int label = command.label;
  if (!data_) data_ = data_cache_.get(train::parse_image_config(digits_config("mlp")), data_dir(data_name_));
  std::vector<std::size_t> of_class;
  for (std::size_t i = 0; i < data_->test.labels.size(); ++i)
    if (data_->test.labels[i] == label) of_class.push_back(i);
  if (of_class.empty()) throw Error("label", "no test image of class " + std::to_string(label));
  static thread_local Rng rng(static_cast<std::uint64_t>(Clock::now().time_since_epoch().count()));
  const std::size_t index = of_class[rng.below(static_cast<std::uint32_t>(of_class.size()))];
  const std::size_t pixels = static_cast<std::size_t>(data_->image_size) * static_cast<std::size_t>(data_->image_size);
  const float* image = data_->test_images.data() + index * pixels;
  send_text(json{{"type", "sample"}, {"label", label}, {"index", index}, {"pixels", std::vector<float>(image, image + pixels)}}.dump());
}

}  // namespace netlens::server::digits
