// Elementwise float32 loops: Add and Multiply of one shape or with a trailing-block broadcast (a bias
// over channels), and ReLU's gradient. tfjs-backend-wasm ran these at ~40 us per call on maps of
// 32k floats, most of a detector step's ~170 Add and Multiply calls.
#pragma once
#include <cstdint>

namespace tsnas {

enum class BinaryOp : int32_t { kAdd = 0, kMultiply = 1 };

// out[i] = a[i] op b[i % nb] for i < na; na is a multiple of nb.
void binaryRuns(BinaryOp op, const float* a, int64_t na, const float* b, int64_t nb, float* out);

// dx[i] = dy[i] * (x[i] > 0 ? 1 : 0): tfjs's mul(dy, step(x)), NaN in dy included.
void reluGrad(const float* x, const float* dy, int64_t n, float* dx);

}  // namespace tsnas
