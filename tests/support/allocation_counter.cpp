#include "support/allocation_counter.hpp"

#include <atomic>
#include <cstdlib>
#include <new>

// GCC cannot see that this operator new pairs with the operator delete below.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace {
std::atomic<long> g_allocations{0};
std::atomic<std::size_t> g_allocated_bytes{0};
}  // namespace

void* operator new(std::size_t n) {
  ++g_allocations;
  g_allocated_bytes += n;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
// stable_sort's buffer comes from the nothrow form: it must pair with the delete above too.
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  ++g_allocations;
  g_allocated_bytes += n;
  return std::malloc(n ? n : 1);
}
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }

namespace netlens::test {

long allocations() { return g_allocations.load(); }
std::size_t allocated_bytes() { return g_allocated_bytes.load(); }

}  // namespace netlens::test
