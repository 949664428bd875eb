#pragma once
// IEEE 754 binary16 ("half"): 1 sign bit, 5 exponent bits (bias 15), 10 fraction bits. Largest
// finite value 65504; normal numbers from 2^-14, subnormals down to 2^-24. Snapshots store
// weights this way (half the bytes of float32, about three significant digits).
#include <cstddef>
#include <cstdint>

namespace netlens {

// Rounds to the nearest binary16, ties to even; too large for 65504 becomes +-infinity, NaN
// stays NaN (quiet, sign kept), values below half the smallest subnormal become +-0.
std::uint16_t float_to_half(float value);
// Exact: every binary16 is a float.
float half_to_float(std::uint16_t half);

void floats_to_halves(const float* in, std::size_t n, std::uint16_t* out);
void halves_to_floats(const std::uint16_t* in, std::size_t n, float* out);

}  // namespace netlens
