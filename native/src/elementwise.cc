#include "elementwise.h"

#include "lanes.h"

namespace tsnas {
namespace {

template <typename Op>
void runs(const float* __restrict a, int64_t na, const float* __restrict b, int64_t nb, float* __restrict out, Op op) {
  if (nb == na) {
    for (int64_t i = 0; i < na; ++i) out[i] = op(a[i], b[i]);
    return;
  }
  for (int64_t start = 0; start < na; start += nb) {
    const float* x = a + start;
    float* y = out + start;
    for (int64_t j = 0; j < nb; ++j) y[j] = op(x[j], b[j]);
  }
}

}  // namespace

void binaryRuns(BinaryOp op, const float* a, int64_t na, const float* b, int64_t nb, float* out) {
  if (op == BinaryOp::kAdd) runs(a, na, b, nb, out, [](float x, float y) { return x + y; });
  else runs(a, na, b, nb, out, [](float x, float y) { return x * y; });
}

// In 8-lane vectors: GCC turned the plain loop into a branch per float around the multiply by 0,
// mispredicted on every other sign (200k floats: 1.47 ms, an Add of that size 0.04 ms).
void reluGrad(const float* __restrict x, const float* __restrict dy, int64_t n, float* __restrict dx) {
  using V = FloatLanes<8>;
  const V one = V{} + 1.0f, zero = {};
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) storeLanes(dx + i, loadLanes<V>(dy + i) * (loadLanes<V>(x + i) > zero ? one : zero));
  for (; i < n; ++i) dx[i] = dy[i] * (x[i] > 0.0f ? 1.0f : 0.0f);
}

}  // namespace tsnas
