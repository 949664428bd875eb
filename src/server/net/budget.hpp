#pragma once
// Budget: a shared limit on something the server hands out (live sessions, bytes of session
// memory). A Reservation holds part of it until destroyed; a request beyond the limit is
// refused before anything is built. Thread-safe.
#include <atomic>
#include <cstddef>
#include <optional>
#include <utility>

namespace netlens::server {

class Budget {
 public:
  explicit Budget(std::size_t limit) : limit_(limit) {}
  Budget(const Budget&) = delete;
  Budget& operator=(const Budget&) = delete;

  class Reservation {
   public:
    Reservation() = default;
    Reservation(Reservation&& other) noexcept
        : budget_(std::exchange(other.budget_, nullptr)), amount_(std::exchange(other.amount_, 0)) {}
    Reservation& operator=(Reservation&& other) noexcept {
      if (this != &other) {
        release();
        budget_ = std::exchange(other.budget_, nullptr);
        amount_ = std::exchange(other.amount_, 0);
      }
      return *this;
    }
    ~Reservation() { release(); }
    std::size_t amount() const { return amount_; }

   private:
    friend class Budget;
    Reservation(Budget* budget, std::size_t amount) : budget_(budget), amount_(amount) {}
    void release() {
      if (budget_) budget_->used_ -= amount_;
      budget_ = nullptr;
      amount_ = 0;
    }
    Budget* budget_ = nullptr;
    std::size_t amount_ = 0;
  };

  // `amount` more, if that stays within the limit.
  std::optional<Reservation> reserve(std::size_t amount) {
    std::size_t used = used_.load();
    do {
      if (amount > limit_ || used > limit_ - amount) return std::nullopt;
    } while (!used_.compare_exchange_weak(used, used + amount));
    return Reservation(this, amount);
  }

  std::size_t limit() const { return limit_; }
  std::size_t used() const { return used_.load(); }

 private:
  const std::size_t limit_;
  std::atomic<std::size_t> used_{0};
};

}  // namespace netlens::server
