// Pooling gradients, NHWC float32. kh/kw are the (undilated) window; pads are before the input, the
// rest of the padding follows from oh/ow.
#pragma once
#include <cstdint>

namespace tsnas {

struct PoolGeometry {
  int32_t n, h, w, c, oh, ow, kh, kw, sh, sw, padTop, padLeft;
};

// Max pool with TensorFlow's rule: a window's whole dy goes to its first maximum in row-major order,
// and NaN never wins.
void maxPoolGrad(const PoolGeometry& g, const float* x, const float* dy, float* dx);

// Average pool as tfjs's cpu backend (and wasm's stock kernel) computes it: each window spreads
// dy / (kh*kw) over its in-bounds pixels, the full window size even where it hangs over padding
// (tfjs's forward pool divides by the in-bounds count there, so at borders this is not its exact
// gradient, but it is every tfjs backend's).
void avgPoolGrad(const PoolGeometry& g, const float* dy, float* dx);

}  // namespace tsnas
