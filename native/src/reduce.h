// Sum over a block of adjacent axes: tfjs-backend-wasm's Sum transposes the reduced axes last first,
// which made the detector's bias gradients (axes 0-2 of NHWC) and global pools (axes 1-2) its slowest
// reductions (16x16x16x40 over axes 0-2: 0.9 ms).
#pragma once
#include <cstdint>

namespace tsnas {

// x viewed as [outer, reduced, inner]: out[a, b] = sum over r of x[a, r, b], added in r's order in
// double (the cpu backend's order and precision, so the sums match it exactly); 0 where reduced is 0.
void sumAxes(const float* x, int64_t outer, int64_t reduced, int64_t inner, float* out);

}  // namespace tsnas
