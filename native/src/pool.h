// Max-pool gradient with TensorFlow's rule: a window's whole dy goes to its first maximum in row-major
// order, and NaN never wins.
#pragma once
#include <cstdint>

namespace tsnas {

struct PoolGeometry {
  int32_t n, h, w, c, oh, ow, kh, kw, sh, sw, padTop, padLeft;
};

void maxPoolGrad(const PoolGeometry& g, const float* x, const float* dy, float* dx);

}  // namespace tsnas
