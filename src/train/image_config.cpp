#include "train/image_config.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include "core/error.hpp"
#include "core/json.hpp"

namespace netlens::train {

using nlohmann::json;

namespace {

const std::set<std::string> kKeys{"epochs",        "patience",       "batch_size",
                                  "validation_subset_ratio",         "percent_of_train_data_to_use",
                                  "percent_train_data_to_use_for_validation",
                                  "num_classes",   "input_size",     "in_channels",
                                  "model_output_filename",           "layers",
                                  "optimizer",     "learning_rate",  "learning_rate_decay", "seed"};

int read_int(const json& j, const char* key, int lo, int hi, int fallback) {
  if (!j.contains(key)) return fallback;
  const json& v = j[key];
  if (!v.is_number_integer() || v.get<long long>() < lo || v.get<long long>() > hi)
    throw Error(key, "must be an integer " + std::to_string(lo) + ".." + std::to_string(hi) + ", got " + v.dump());
  return v.get<int>();
}

// A fraction in (0, 1] (or [0, 1) when zero_ok, for the validation share).
double read_fraction(const json& j, const char* key, bool zero_ok, double fallback) {
  if (!j.contains(key)) return fallback;
  const json& v = j[key];
  const double x = v.is_number() ? v.get<double>() : -1;
  const bool ok = zero_ok ? (x >= 0 && x < 1) : (x > 0 && x <= 1);
  if (!ok) throw Error(key, std::string("must be a fraction ") + (zero_ok ? "0 <= x < 1" : "0 < x <= 1") + ", got " + v.dump());
  return x;
}

}  // namespace

ImageConfig parse_image_config(const json& j) {
  if (!j.is_object()) throw Error("config", "must be a JSON object, got " + std::string(j.type_name()));
  for (const auto& [key, value] : j.items())
    if (!kKeys.count(key)) throw Error(key, "unknown key (known: epochs, patience, batch_size, validation_subset_ratio, "
                                            "percent_of_train_data_to_use, percent_train_data_to_use_for_validation, "
                                            "num_classes, input_size, in_channels, model_output_filename, layers, "
                                            "optimizer, learning_rate, learning_rate_decay, seed)");
  ImageConfig c;
  c.json = j;
  c.epochs = read_int(j, "epochs", 1, 10000, c.epochs);
  c.patience = read_int(j, "patience", 1, 10000, c.patience);
  c.batch_size = read_int(j, "batch_size", 1, 4096, c.batch_size);
  c.validation_subset_ratio = read_fraction(j, "validation_subset_ratio", false, c.validation_subset_ratio);
  c.percent_of_train_data_to_use = read_fraction(j, "percent_of_train_data_to_use", false, c.percent_of_train_data_to_use);
  c.percent_train_data_to_use_for_validation =
      read_fraction(j, "percent_train_data_to_use_for_validation", true, c.percent_train_data_to_use_for_validation);
  if (j.contains("model_output_filename")) {
    if (!j["model_output_filename"].is_string() || j["model_output_filename"].get<std::string>().empty())
      throw Error("model_output_filename", "must be a non-empty string, got " + j["model_output_filename"].dump());
    c.model_output_filename = j["model_output_filename"].get<std::string>();
  }
  if (j.contains("optimizer")) {
    if (!j["optimizer"].is_string()) throw Error("optimizer", "must be a string (sgd, momentum, adam), got " + j["optimizer"].dump());
    c.optimizer = nn::parse_optimizer(j["optimizer"].get<std::string>(), "optimizer");
  }
  if (j.contains("learning_rate")) {
    const json& v = j["learning_rate"];
    if (!v.is_number() || !(v.get<double>() > 0 && v.get<double>() <= 10))
      throw Error("learning_rate", "must be a number greater than 0, at most 10, got " + v.dump());
    c.learning_rate = v.get<double>();
  }
  if (j.contains("learning_rate_decay")) {
    const json& v = j["learning_rate_decay"];
    if (!v.is_number() || !(v.get<double>() > 0 && v.get<double>() <= 1))
      throw Error("learning_rate_decay", "must be a number greater than 0, at most 1, got " + v.dump());
    c.learning_rate_decay = v.get<double>();
  }
  c.seed = static_cast<std::uint64_t>(read_int(j, "seed", 0, 2147483647, 1));
  c.network = nn::parse_image_network(j);
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
