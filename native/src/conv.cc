#include "conv.h"

#include <cblas.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace tsnas {
namespace {

// Rows of the column matrix per chunk: bounds the per-thread scratch buffer (~16 MB) whatever the
// image size, and keeps it warm in cache across the gemm. Chunks are ranges of output rows; col2im
// accumulates, so a chunk may end anywhere.
constexpr int64_t kChunkFloats = int64_t{1} << 22;

// A 1x1 convolution whose output grid is its input grid: x itself is the column matrix.
bool isPointwise(const ConvGeometry& g) {
  return g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.padTop == 0 && g.padLeft == 0 && g.oh == g.h &&
         g.ow == g.w;
}

int64_t patchSize(const ConvGeometry& g) { return int64_t{g.kh} * g.kw * g.ci; }
int64_t outputRows(const ConvGeometry& g) { return int64_t{g.n} * g.oh * g.ow; }

// One scratch buffer per thread: each Piscina worker is its own thread.
float* scratch(int64_t floats) {
  thread_local std::vector<float> buffer;
  if (static_cast<int64_t>(buffer.size()) < floats) buffer.resize(floats);
  return buffer.data();
}

// Calls fn(i, image, oy, ox) for the output rows first .. first + count - 1, i counting from 0.
template <typename Fn>
void forRows(const ConvGeometry& g, int64_t first, int64_t count, Fn fn) {
  const int64_t perImage = int64_t{g.oh} * g.ow;
  int64_t b = first / perImage;
  int oy = static_cast<int>((first % perImage) / g.ow);
  int ox = static_cast<int>(first % g.ow);
  for (int64_t i = 0; i < count; ++i) {
    fn(i, b, oy, ox);
    if (++ox == g.ow) {
      ox = 0;
      if (++oy == g.oh) {
        oy = 0;
        ++b;
      }
    }
  }
}

// cols[i, (ky*KW + kx)*ci + c] = x[image, oy*sh - top + ky*dh, ox*sw - left + kx*dw, c] (0 outside).
void im2col(const ConvGeometry& g, const float* x, int64_t first, int64_t count, float* cols) {
  const int64_t k = patchSize(g);
  const size_t run = sizeof(float) * g.ci;
  forRows(g, first, count, [&](int64_t i, int64_t b, int oy, int ox) {
    const float* img = x + b * g.h * g.w * g.ci;
    float* dst = cols + i * k;
    for (int ky = 0; ky < g.kh; ++ky) {
      const int iy = oy * g.sh - g.padTop + ky * g.dh;
      for (int kx = 0; kx < g.kw; ++kx, dst += g.ci) {
        const int ix = ox * g.sw - g.padLeft + kx * g.dw;
        if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) std::memset(dst, 0, run);
        else std::memcpy(dst, img + (int64_t{iy} * g.w + ix) * g.ci, run);
      }
    }
  });
}

// The adjoint of im2col: dx[image, iy, ix, c] += cols[...]; dx must be zeroed first.
void col2im(const ConvGeometry& g, const float* cols, int64_t first, int64_t count, float* dx) {
  const int64_t k = patchSize(g);
  forRows(g, first, count, [&](int64_t i, int64_t b, int oy, int ox) {
    float* img = dx + b * g.h * g.w * g.ci;
    const float* src = cols + i * k;
    for (int ky = 0; ky < g.kh; ++ky) {
      const int iy = oy * g.sh - g.padTop + ky * g.dh;
      for (int kx = 0; kx < g.kw; ++kx, src += g.ci) {
        const int ix = ox * g.sw - g.padLeft + kx * g.dw;
        if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) continue;
        float* dst = img + (int64_t{iy} * g.w + ix) * g.ci;
        for (int c = 0; c < g.ci; ++c) dst[c] += src[c];
      }
    }
  });
}

// Calls body(firstRow, rows, cols) per chunk of output rows, with the thread's scratch buffer.
template <typename Body>
void forEachChunk(const ConvGeometry& g, Body body) {
  const int64_t total = outputRows(g);
  const int64_t chunk = std::clamp<int64_t>(kChunkFloats / patchSize(g), 1, total);
  float* cols = scratch(chunk * patchSize(g));
  for (int64_t r = 0; r < total; r += chunk) body(r, std::min(chunk, total - r), cols);
}

}  // namespace

void convForward(const ConvGeometry& g, const float* x, const float* filter, float* y) {
  const int64_t k = patchSize(g);
  if (isPointwise(g)) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, outputRows(g), g.co, k, 1.0f, x, k, filter, g.co, 0.0f, y,
                g.co);
    return;
  }
  forEachChunk(g, [&](int64_t r, int64_t rows, float* cols) {
    im2col(g, x, r, rows, cols);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, g.co, k, 1.0f, cols, k, filter, g.co, 0.0f,
                y + r * g.co, g.co);
  });
}

void convBackpropFilter(const ConvGeometry& g, const float* x, const float* dy, float* dFilter) {
  const int64_t k = patchSize(g);
  if (isPointwise(g)) {
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, g.co, outputRows(g), 1.0f, x, k, dy, g.co, 0.0f, dFilter,
                g.co);
    return;
  }
  forEachChunk(g, [&](int64_t r, int64_t rows, float* cols) {
    im2col(g, x, r, rows, cols);
    // The first chunk overwrites dFilter, later ones accumulate into it.
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, g.co, rows, 1.0f, cols, k, dy + r * g.co, g.co,
                r == 0 ? 0.0f : 1.0f, dFilter, g.co);
  });
}

void convBackpropInput(const ConvGeometry& g, const float* dy, const float* filter, float* dx) {
  const int64_t k = patchSize(g);
  if (isPointwise(g)) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, outputRows(g), k, g.co, 1.0f, dy, g.co, filter, g.co, 0.0f,
                dx, k);
    return;
  }
  std::memset(dx, 0, sizeof(float) * g.n * g.h * g.w * g.ci);
  forEachChunk(g, [&](int64_t r, int64_t rows, float* cols) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, k, g.co, 1.0f, dy + r * g.co, g.co, filter, g.co, 0.0f,
                cols, k);
    col2im(g, cols, r, rows, dx);
  });
}

}  // namespace tsnas
