#pragma once
// TopK: the k best (score, image) pairs seen so far, best first; a higher score wins and a tie
// goes to the lower image index. Each image is offered once, so it appears at most once.
#include <vector>

namespace netlens::probe::lurk {

struct TopEntry {
  int image = -1;
  float score = 0;
  int y = 0, x = 0;  // where in the map (the argmax for a max ranking; 0, 0 for a dense unit)
  bool operator==(const TopEntry&) const = default;
};

// a ranks before b
inline bool ranks_before(const TopEntry& a, const TopEntry& b) {
  return a.score > b.score || (a.score == b.score && a.image < b.image);
}

class TopK {
 public:
  explicit TopK(int k = 9) : k_(k) { entries_.reserve(static_cast<std::size_t>(k)); }
  // O(k) insertion into the sorted list; nothing is allocated once it holds k entries.
  void offer(const TopEntry& e) {
    if (static_cast<int>(entries_.size()) == k_) {
      if (k_ == 0 || !ranks_before(e, entries_.back())) return;
      entries_.pop_back();
    }
    auto at = entries_.end();
    while (at != entries_.begin() && ranks_before(e, *(at - 1))) --at;
    entries_.insert(at, e);
  }
  const std::vector<TopEntry>& entries() const { return entries_; }
  int k() const { return k_; }

 private:
  int k_;
  std::vector<TopEntry> entries_;
};

}  // namespace netlens::probe::lurk
