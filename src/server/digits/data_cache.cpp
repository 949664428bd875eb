#include "server/digits/data_cache.hpp"

#include "server/common/memory.hpp"

namespace netlens::server::digits {

namespace {

// What decides the loaded data: where, and the config's shares, seed and sizes.
std::string key(const train::ImageConfig& c, const std::string& dir) {
  return dir + "|" + std::to_string(c.seed) + "|" + std::to_string(c.percent_of_train_data_to_use) + "|" +
         std::to_string(c.percent_train_data_to_use_for_validation) + "|" + std::to_string(c.validation_subset_ratio) +
         "|" + std::to_string(c.network.input_size) + "|" + std::to_string(c.network.num_classes);
}

std::size_t split_bytes(const train::ImageSplit& s) {
  return (s.inputs.size() + s.targets.size()) * sizeof(float) + s.labels.size() * sizeof(int);
}

}  // namespace

std::size_t ImageDataCache::bytes(const train::ImageData& d) {
  return split_bytes(d.train) + split_bytes(d.validation) + split_bytes(d.test) + d.test_images.size() * sizeof(float);
}

std::shared_ptr<const train::ImageData> ImageDataCache::get(const train::ImageConfig& config, const std::string& dir) {
  const std::string k = key(config, dir);
  std::lock_guard lock(mutex_);
  if (auto held = held_[k].lock()) return {held, &held->data};
  auto loaded = std::make_shared<Held>();
  loaded->data = train::load_image_data(config, dir);
  loaded->reservation = reserve_memory(memory_, bytes(loaded->data), "the data set " + dir,
                                       "stop a training run in another tab, or start the server with a larger limit");
  held_[k] = loaded;
  return {loaded, &loaded->data};
}

}  // namespace netlens::server::digits
