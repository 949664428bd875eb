#pragma once
// A test binary that links support/allocation_counter.cpp has its global operator new replaced
// by one that counts: a test can then assert that a step allocates nothing, or compare a memory
// estimate with what was really allocated.
#include <cstddef>

namespace netlens::test {

long allocations();             // heap allocations since the program started
std::size_t allocated_bytes();  // their bytes

}  // namespace netlens::test
