#pragma once
// ImageDataCache: the image data sets of one server's Digits sessions. Each is loaded once and
// shared read-only by every session training on it (MNIST is about 250 MB of floats), and its
// memory is held in the server's budget while any session uses it. Thread-safe.
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "server/net/budget.hpp"
#include "train/image_config.hpp"
#include "train/image_data.hpp"

namespace netlens::server::digits {

class ImageDataCache {
 public:
  explicit ImageDataCache(Budget& memory) : memory_(memory) {}

  // The data of `config` from `dir`, loaded on first use. Throws Error("memory: ...") when it
  // does not fit in the budget (it is measured once loaded, then released at once), or the
  // loader's Error.
  std::shared_ptr<const train::ImageData> get(const train::ImageConfig& config, const std::string& dir);

  static std::size_t bytes(const train::ImageData& data);

 private:
  struct Held {
    train::ImageData data;
    Budget::Reservation reservation;
  };

  Budget& memory_;
  std::mutex mutex_;  // held while loading, so a data set is never loaded twice at once
  std::map<std::string, std::weak_ptr<const Held>> held_;
};

}  // namespace netlens::server::digits
