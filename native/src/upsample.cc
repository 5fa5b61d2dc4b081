#include "upsample.h"

#include <cstring>

namespace tsnas {

void upsampleNearest(int32_t n, int32_t h, int32_t w, int32_t c, int32_t f, const float* x, float* y) {
  const int64_t outW = int64_t{w} * f;
  for (int64_t r = 0; r < int64_t{n} * h; ++r) {
    // One output row from the input row, then copied to the block's other f-1 rows.
    const float* in = x + r * w * c;
    float* first = y + r * f * outW * c;
    float* out = first;
    for (int32_t j = 0; j < w; ++j, in += c) {
      for (int32_t k = 0; k < f; ++k, out += c) std::memcpy(out, in, sizeof(float) * c);
    }
    for (int32_t k = 1; k < f; ++k) std::memcpy(first + k * outW * c, first, sizeof(float) * outW * c);
  }
}

void upsampleNearestGrad(int32_t n, int32_t h, int32_t w, int32_t c, int32_t f, const float* dy, float* dx) {
  const int64_t outW = int64_t{w} * f;
  for (int64_t r = 0; r < int64_t{n} * h; ++r) {
    float* out = dx + r * w * c;
    std::memset(out, 0, sizeof(float) * w * c);
    for (int32_t k = 0; k < f; ++k) {
      const float* g = dy + (r * f + k) * outW * c;
      for (int32_t j = 0; j < w; ++j) {
        float* o = out + int64_t{j} * c;
        for (int32_t q = 0; q < f; ++q, g += c) {
          for (int32_t ch = 0; ch < c; ++ch) o[ch] += g[ch];
        }
      }
    }
  }
}

}  // namespace tsnas
