// Nearest-neighbour upsampling of NHWC maps by an integer factor, and its gradient.
#pragma once
#include <cstdint>

namespace tsnas {

// y [n, h*f, w*f, c]: every input pixel copied to an f x f block.
void upsampleNearest(int32_t n, int32_t h, int32_t w, int32_t c, int32_t f, const float* x, float* y);

// dx [n, h, w, c]: each input pixel's gradient is the sum of dy over its f x f block.
void upsampleNearestGrad(int32_t n, int32_t h, int32_t w, int32_t c, int32_t f, const float* dy, float* dx);

}  // namespace tsnas
