#include "probe/lurk/images.hpp"

#include <cstdio>
#include <cstring>

#include "core/error.hpp"
#include "data/digit_image.hpp"
#include "data/idx.hpp"
#include "data/png_image.hpp"
#include "data/resize.hpp"
#include "train/image_data.hpp"

namespace netlens::probe::lurk {

namespace {

void check_grayscale(const nn::Model& model) {
  if (model.spec.in_channels != 1)
    throw Error("model", "takes " + std::to_string(model.spec.in_channels) + " channels; Lurk's data sets are grayscale");
}

}  // namespace

std::string model_dataset(const nn::Model& model, const std::string& data) {
  return data.empty() ? model.header.value("dataset", std::string("mnist")) : data;
}

LurkImages load_lurk_images(const nn::Model& model, const std::string& dataset, const std::string& split,
                            const std::string& dir, int limit) {
  check_grayscale(model);
  if (split != "train" && split != "test") throw Error("--split", "must be train or test, got " + excerpt(split));
  const data::ImageSet set = data::load_image_set(dir.empty() ? train::dataset_dir(dataset) : dir, split == "train" ? "train" : "t10k");
  const int n = limit > 0 ? std::min(limit, set.size()) : set.size();
  const int size = model.spec.input_size;
  const std::size_t in = static_cast<std::size_t>(size) * size, raw = static_cast<std::size_t>(set.rows) * set.cols;
  LurkImages out;
  out.images.resize(static_cast<std::size_t>(n) * in);
  out.labels.assign(set.labels.begin(), set.labels.begin() + n);
  for (int i = 0; i < n; ++i)
    data::resize_area(set.images.data() + static_cast<std::size_t>(i) * raw, set.rows, set.cols, out.images.data() + static_cast<std::size_t>(i) * in, size, size);
  return out;
}

std::vector<float> load_lurk_png(const nn::Model& model, const std::string& path) {
  check_grayscale(model);
  const data::GrayImage g = data::read_png_gray(path);
  const std::vector<float> digit = data::prepare_digit(g.values, g.height, g.width);
  const int size = model.spec.input_size;
  std::vector<float> image(static_cast<std::size_t>(size) * size);
  data::resize_area(digit.data(), data::kDigitSize, data::kDigitSize, image.data(), size, size);
  return image;
}

// h = (h ^ byte) * 0x100000001b3, from 0xcbf29ce484222325
std::string weights_hash(nn::Model& model) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  auto add = [&h](const void* p, std::size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 0x100000001b3ULL;
  };
  const std::string config = model.header.value("config", nlohmann::json::object()).dump();
  add(config.data(), config.size());
  for (const auto& p : model.network.params()) add(p.value->data(), p.value->size() * sizeof(float));
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

}  // namespace netlens::probe::lurk
