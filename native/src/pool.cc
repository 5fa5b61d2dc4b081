#include "pool.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace tsnas {

namespace {

// One window's first maxima for kn channels: at[k] is the winner's place
// in the window (row-major over its in-bounds part), -1 where every value was NaN. Fixed-size blocks
// let the compiler keep best/at in vector registers and turn the comparison into a blend.
template <int kn>
void firstMaxima(const float* window, int rows, int cols, int64_t rowStride, int c, float* best, int32_t* at) {
  for (int k = 0; k < kn; ++k) {
    best[k] = -std::numeric_limits<float>::infinity();
    at[k] = -1;
  }
  int32_t t = 0;
  for (int r = 0; r < rows; ++r) {
    for (int q = 0; q < cols; ++q, ++t) {
      const float* px = window + r * rowStride + int64_t{q} * c;
      for (int k = 0; k < kn; ++k) {
        const bool wins = px[k] > best[k];  // false for NaN: NaN never wins
        best[k] = wins ? px[k] : best[k];
        at[k] = wins ? t : at[k];
      }
    }
  }
}

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

}  // namespace

void maxPoolGrad(const PoolGeometry& g, const float* x, const float* dy, float* dx) {
  std::memset(dx, 0, sizeof(float) * g.n * g.h * g.w * g.c);
  float best[16];
  int32_t at[16];
  forEachWindow(g, [&](const Window& w, int64_t o) {
    // Channels in blocks of 16, then 8, 4 and 1 for the rest.
    for (int k0 = 0; k0 < g.c;) {
      const int left = g.c - k0;
      const int kn = left >= 16 ? 16 : left >= 8 ? 8 : left >= 4 ? 4 : 1;
      const float* window = x + w.origin + k0;
      if (kn == 16) firstMaxima<16>(window, w.rows, w.cols, w.rowStride, g.c, best, at);
      else if (kn == 8) firstMaxima<8>(window, w.rows, w.cols, w.rowStride, g.c, best, at);
      else if (kn == 4) firstMaxima<4>(window, w.rows, w.cols, w.rowStride, g.c, best, at);
      else firstMaxima<1>(window, w.rows, w.cols, w.rowStride, g.c, best, at);
      for (int k = 0; k < kn; ++k) {
        if (at[k] >= 0) dx[w.origin + (at[k] / w.cols) * w.rowStride + int64_t{at[k] % w.cols} * g.c + k0 + k] += dy[o + k0 + k];
      }
      k0 += kn;
    }
  });
}

void avgPoolGrad(const PoolGeometry& g, const float* dy, float* dx) {
  const int64_t size = int64_t{g.n} * g.h * g.w * g.c;
  std::memset(dx, 0, sizeof(float) * size);
  // Scattering dy window by window adds to each dx pixel in the order the cpu backend sums (output
  // rows, then columns), with the channel loop innermost and contiguous; the scale comes once, last.
  forEachWindow(g, [&](const Window& w, int64_t o) {
    const float* grad = dy + o;
    for (int r = 0; r < w.rows; ++r) {
      float* row = dx + w.origin + r * w.rowStride;
      for (int q = 0; q < w.cols; ++q) {
        float* px = row + int64_t{q} * g.c;
        for (int k = 0; k < g.c; ++k) px[k] += grad[k];
      }
    }
  });
  const float scale = 1.0f / (static_cast<float>(g.kh) * static_cast<float>(g.kw));
  for (int64_t e = 0; e < size; ++e) dx[e] *= scale;
}

}  // namespace tsnas
