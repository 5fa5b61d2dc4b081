#include "pool.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

#include "lanes.h"

namespace tsnas {

namespace {

// The in-bounds part of one output pixel's window: origin is the flat NHWC index of its first
// pixel's channel 0, rowStride the distance between its rows.
struct Window {
  int64_t origin, rowStride;
  int rows, cols;
};

// Calls f(window, dyIndex) for every output pixel whose window has in-bounds pixels, in NHWC order of
// dy; dyIndex is the flat index of the pixel's channel 0 in dy.
template <typename F>
void forEachWindow(const PoolGeometry& g, F f) {
  const int64_t plane = int64_t{g.h} * g.w * g.c;
  const int64_t rowStride = int64_t{g.w} * g.c;
  int64_t o = 0;
  for (int b = 0; b < g.n; ++b) {
    for (int i = 0; i < g.oh; ++i) {
      const int r0 = i * g.sh - g.padTop;
      const int rStart = std::max(0, r0), rEnd = std::min(g.h, r0 + g.kh);
      for (int j = 0; j < g.ow; ++j, o += g.c) {
        const int c0 = j * g.sw - g.padLeft;
        const int cStart = std::max(0, c0), cEnd = std::min(g.w, c0 + g.kw);
        if (rEnd <= rStart || cEnd <= cStart) continue;
        f(Window{b * plane + rStart * rowStride + int64_t{cStart} * g.c, rowStride, rEnd - rStart, cEnd - cStart}, o);
      }
    }
  }
}

// 8 channels of one window at a time: the largest value and its offset from the window's origin,
// both in vector registers (select by the comparison's mask), for channel counts in 8s. The scalar
// loop's conditional store of a 64-bit index was left unvectorized on AVX2 (2.2-5 ns a float).
void maxPoolGradLanes(const PoolGeometry& g, const float* x, const float* dy, float* dx) {
  using V = FloatLanes<8>;
  typedef int32_t I __attribute__((vector_size(32)));
  const int c = g.c;
  forEachWindow(g, [&](const Window& w, int64_t o) {
    for (int k0 = 0; k0 < c; k0 += 8) {
      V best = V{} - std::numeric_limits<float>::infinity();
      I where = I{} - 1;
      for (int r = 0; r < w.rows; ++r) {
        for (int q = 0; q < w.cols; ++q) {
          const int32_t offset = static_cast<int32_t>(r * w.rowStride + int64_t{q} * c + k0);
          const V px = loadLanes<V>(x + w.origin + offset);
          const I wins = px > best;  // false for NaN: NaN never wins
          best = wins ? px : best;
          where = wins ? I{} + offset : where;
        }
      }
      for (int k = 0; k < 8; ++k) {
        if (where[k] >= 0) dx[w.origin + where[k] + k] += dy[o + k0 + k];
      }
    }
  });
}

}  // namespace

void maxPoolGrad(const PoolGeometry& g, const float* x, const float* dy, float* dx) {
  std::memset(dx, 0, sizeof(float) * g.n * g.h * g.w * g.c);
  const int c = g.c;
  // A window's offsets fit 32 bits where an image does.
  if (c % 8 == 0 && int64_t{g.h} * g.w * c < (int64_t{1} << 31)) return maxPoolGradLanes(g, x, dy, dx);
  // The channel loop innermost over a runtime c: GCC vectorizes it (blocks of a fixed 16 channels,
  // unrolled, it did not, and they ran 1.5-4x slower on NASNet's shapes).
  std::vector<float> best(c);
  std::vector<int64_t> where(c);
  forEachWindow(g, [&](const Window& w, int64_t o) {
    std::fill(best.begin(), best.end(), -std::numeric_limits<float>::infinity());
    std::fill(where.begin(), where.end(), int64_t{-1});
    for (int r = 0; r < w.rows; ++r) {
      for (int q = 0; q < w.cols; ++q) {
        const int64_t base = w.origin + r * w.rowStride + int64_t{q} * c;
        const float* px = x + base;
        for (int k = 0; k < c; ++k) {
          if (px[k] > best[k]) {  // false for NaN: NaN never wins
            best[k] = px[k];
            where[k] = base + k;
          }
        }
      }
    }
    for (int k = 0; k < c; ++k) {
      if (where[k] >= 0) dx[where[k]] += dy[o + k];
    }
  });
}

void avgPoolGrad(const PoolGeometry& g, const float* dy, float* dx) {
  const int64_t size = int64_t{g.n} * g.h * g.w * g.c;
  std::memset(dx, 0, sizeof(float) * size);
  // Scattering dy window by window adds to each dx pixel in the order the cpu backend sums (output
  // rows, then columns), with the channel loop innermost and contiguous; the scale comes once, last.
  const int c = g.c;
  forEachWindow(g, [&](const Window& w, int64_t o) {
    const float* grad = dy + o;
    for (int r = 0; r < w.rows; ++r) {
      float* row = dx + w.origin + r * w.rowStride;
      for (int q = 0; q < w.cols; ++q) {
        float* px = row + int64_t{q} * c;
        for (int k = 0; k < c; ++k) px[k] += grad[k];
      }
    }
  });
  const float scale = 1.0f / (static_cast<float>(g.kh) * static_cast<float>(g.kw));
  for (int64_t e = 0; e < size; ++e) dx[e] *= scale;
}

}  // namespace tsnas
