#include "pool.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

namespace tsnas {

void maxPoolGrad(const PoolGeometry& g, const float* x, const float* dy, float* dx) {
  std::memset(dx, 0, sizeof(float) * g.n * g.h * g.w * g.c);
  std::vector<float> best(g.c);
  std::vector<int64_t> where(g.c);
  const float* grad = dy;
  for (int b = 0; b < g.n; ++b) {
    for (int i = 0; i < g.oh; ++i) {
      const int r0 = i * g.sh - g.padTop;
      const int rStart = std::max(0, r0), rEnd = std::min(g.h, r0 + g.kh);
      for (int j = 0; j < g.ow; ++j, grad += g.c) {
        const int c0 = j * g.sw - g.padLeft;
        const int cStart = std::max(0, c0), cEnd = std::min(g.w, c0 + g.kw);
        std::fill(best.begin(), best.end(), -std::numeric_limits<float>::infinity());
        std::fill(where.begin(), where.end(), int64_t{-1});
        for (int r = rStart; r < rEnd; ++r) {
          for (int q = cStart; q < cEnd; ++q) {
            const int64_t base = ((int64_t{b} * g.h + r) * g.w + q) * g.c;
            const float* px = x + base;
            for (int k = 0; k < g.c; ++k) {
              if (px[k] > best[k]) {  // false for NaN: NaN never wins
                best[k] = px[k];
                where[k] = base + k;
              }
            }
          }
        }
        for (int k = 0; k < g.c; ++k) {
          if (where[k] >= 0) dx[where[k]] += grad[k];
        }
      }
    }
  }
}

}  // namespace tsnas
