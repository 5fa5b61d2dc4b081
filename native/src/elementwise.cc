#include "elementwise.h"

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

void reluGrad(const float* __restrict x, const float* __restrict dy, int64_t n, float* __restrict dx) {
  for (int64_t i = 0; i < n; ++i) dx[i] = dy[i] * (x[i] > 0.0f ? 1.0f : 0.0f);
}

}  // namespace tsnas
