#include "train/image_config.hpp"

#include <fstream>

#include "core/error.hpp"
#include "core/json.hpp"
#include "core/json_fields.hpp"

namespace netlens::train {

using nlohmann::json;

namespace {

// A fraction in (0, 1] (or [0, 1) when zero_ok, for the validation share).
double read_fraction(const Fields& f, const char* key, bool zero_ok, double fallback) {
  const auto x = f.optional_number(key, 0, 1);
  if (!x) return fallback;
  if (zero_ok ? *x == 1 : *x == 0)
    throw Error(key, std::string("must be a fraction ") + (zero_ok ? "0 <= x < 1" : "0 < x <= 1") + ", got " + f.at(key).dump());
  return *x;
}

}  // namespace

ImageConfig parse_image_config(const json& j) {
  if (!j.is_object()) throw Error("config", "must be a JSON object, got " + json_kind(j));
  const Fields f(j, "");
  ImageConfig c;
  c.json = j;
  c.epochs = f.optional_integer("epochs", 1, 10000).value_or(c.epochs);
  c.patience = f.optional_integer("patience", 1, 10000).value_or(c.patience);
  c.batch_size = f.optional_integer("batch_size", 1, 4096).value_or(c.batch_size);
  c.validation_subset_ratio = read_fraction(f, "validation_subset_ratio", false, c.validation_subset_ratio);
  c.percent_of_train_data_to_use = read_fraction(f, "percent_of_train_data_to_use", false, c.percent_of_train_data_to_use);
  c.percent_train_data_to_use_for_validation =
      read_fraction(f, "percent_train_data_to_use_for_validation", true, c.percent_train_data_to_use_for_validation);
  if (auto name = f.optional_string("model_output_filename")) {
    if (name->empty()) throw Error("model_output_filename", "must be a non-empty string");
    c.model_output_filename = *name;
  }
  if (auto o = f.optional_string("optimizer")) c.optimizer = nn::parse_optimizer(*o, "optimizer");
  if (auto rate = f.optional_number("learning_rate", 0, 10)) {
    if (*rate == 0) throw Error("learning_rate", "must be greater than 0");
    c.learning_rate = *rate;
  }
  if (auto decay = f.optional_number("learning_rate_decay", 0, 1)) {
    if (*decay == 0) throw Error("learning_rate_decay", "must be greater than 0");
    c.learning_rate_decay = *decay;
  }
  c.seed = static_cast<std::uint64_t>(f.optional_integer("seed").value_or(1));
  // The layer list and its sizes, read by nn::parse_image_network.
  for (const char* key : {"layers", "num_classes", "input_size", "in_channels"}) f.has(key);
  f.refuse_unknown();
  c.network = nn::parse_image_network(j);
  // A network of one output is one netlens imports (ONNX, the Playground), not one it trains here.
  if (c.network.num_classes < 2)
    throw Error("num_classes", "must be an integer 2..65536 to train, got " + std::to_string(c.network.num_classes));
  return c;
}

ImageConfig load_image_config(const std::string& path) {
  const json j = read_json_file(path, "config file");
  try {
    return parse_image_config(j);
  } catch (const Error& e) {
    throw Error(path, e.what());
  }
}

}  // namespace netlens::train
