#pragma once
// The server's open connections, so that stopping the server can close them all.
#include <memory>
#include <mutex>
#include <vector>

namespace netlens::server {

class Connection {
 public:
  virtual ~Connection() = default;
  virtual void close() = 0;  // thread-safe; ends the connection soon
};

class ConnectionSet {
 public:
  // Keeps a weak reference; after close_all() a newcomer is closed at once.
  void add(const std::shared_ptr<Connection>& connection) {
    std::unique_lock lock(mutex_);
    if (closed_) {
      lock.unlock();
      connection->close();
      return;
    }
    std::erase_if(items_, [](const auto& c) { return c.expired(); });
    items_.push_back(connection);
  }

  // Connections still open (HTTP, and WebSocket ones handed over from HTTP).
  std::size_t open() {
    std::lock_guard lock(mutex_);
    std::erase_if(items_, [](const auto& c) { return c.expired(); });
    return items_.size();
  }

  void close_all() {
    std::vector<std::weak_ptr<Connection>> items;
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
      items.swap(items_);
    }
    for (const auto& weak : items)
      if (auto c = weak.lock()) c->close();
  }

 private:
  std::mutex mutex_;
  std::vector<std::weak_ptr<Connection>> items_;
  bool closed_ = false;
};

}  // namespace netlens::server
