#include "reduce.h"

#include <cstddef>
#include <vector>

namespace tsnas {

// In double, as the cpu backend's JavaScript adds (its sums then match to the bit).
void sumAxes(const float* __restrict x, int64_t outer, int64_t reduced, int64_t inner, float* __restrict out) {
  std::vector<double> sums(static_cast<size_t>(inner));
  for (int64_t a = 0; a < outer; ++a) {
    const float* block = x + a * reduced * inner;
    if (inner == 1) {
      double s = 0.0;
      for (int64_t r = 0; r < reduced; ++r) s += block[r];
      out[a] = static_cast<float>(s);
      continue;
    }
    // Rows of inner floats added in turn: a loop over b the compiler vectorises.
    double* __restrict s = sums.data();
    for (int64_t b = 0; b < inner; ++b) s[b] = 0.0;
    for (int64_t r = 0; r < reduced; ++r) {
      const float* row = block + r * inner;
      for (int64_t b = 0; b < inner; ++b) s[b] += row[b];
    }
    for (int64_t b = 0; b < inner; ++b) out[a * inner + b] = static_cast<float>(s[b]);
  }
}

}  // namespace tsnas
