#include "conv.h"

#include <cblas.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace tsnas {
namespace {

// Rows of the column matrix per chunk: bounds the scratch buffer (~16 MB) and keeps it warm in cache
// across the gemm; chunks hold whole images so that col2im never crosses a chunk.
constexpr int64_t kChunkFloats = int64_t{1} << 22;

bool isPointwise(const ConvGeometry& g) {
  return g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.padTop == 0 && g.padLeft == 0;
}

int64_t patchSize(const ConvGeometry& g) { return int64_t{g.kh} * g.kw * g.ci; }
int64_t rowsPerImage(const ConvGeometry& g) { return int64_t{g.oh} * g.ow; }

int imagesPerChunk(const ConvGeometry& g) {
  const int64_t perImage = rowsPerImage(g) * patchSize(g);
  return static_cast<int>(std::clamp<int64_t>(kChunkFloats / std::max<int64_t>(perImage, 1), 1, g.n));
}

// One scratch buffer per thread: each Piscina worker is its own thread.
std::vector<float>& scratch(int64_t floats) {
  thread_local std::vector<float> buffer;
  if (static_cast<int64_t>(buffer.size()) < floats) buffer.resize(floats);
  return buffer;
}

// cols[r, (kh*KW + kw)*ci + c] = x[img, oh*sh - top + kh*dh, ow*sw - left + kw*dw, c] (0 outside).
void im2col(const ConvGeometry& g, const float* x, int firstImage, int images, float* cols) {
  const int64_t k = patchSize(g);
  const size_t run = sizeof(float) * g.ci;
  float* row = cols;
  for (int b = firstImage; b < firstImage + images; ++b) {
    const float* img = x + int64_t{b} * g.h * g.w * g.ci;
    for (int oy = 0; oy < g.oh; ++oy) {
      for (int ox = 0; ox < g.ow; ++ox, row += k) {
        float* dst = row;
        for (int ky = 0; ky < g.kh; ++ky) {
          const int iy = oy * g.sh - g.padTop + ky * g.dh;
          for (int kx = 0; kx < g.kw; ++kx, dst += g.ci) {
            const int ix = ox * g.sw - g.padLeft + kx * g.dw;
            if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) std::memset(dst, 0, run);
            else std::memcpy(dst, img + (int64_t{iy} * g.w + ix) * g.ci, run);
          }
        }
      }
    }
  }
}

// The adjoint of im2col: dx[img, iy, ix, c] += cols[...]; dx must be zeroed first.
void col2im(const ConvGeometry& g, const float* cols, int firstImage, int images, float* dx) {
  const int64_t k = patchSize(g);
  const float* row = cols;
  for (int b = firstImage; b < firstImage + images; ++b) {
    float* img = dx + int64_t{b} * g.h * g.w * g.ci;
    for (int oy = 0; oy < g.oh; ++oy) {
      for (int ox = 0; ox < g.ow; ++ox, row += k) {
        const float* src = row;
        for (int ky = 0; ky < g.kh; ++ky) {
          const int iy = oy * g.sh - g.padTop + ky * g.dh;
          for (int kx = 0; kx < g.kw; ++kx, src += g.ci) {
            const int ix = ox * g.sw - g.padLeft + kx * g.dw;
            if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) continue;
            float* dst = img + (int64_t{iy} * g.w + ix) * g.ci;
            for (int c = 0; c < g.ci; ++c) dst[c] += src[c];
          }
        }
      }
    }
  }
}

// Calls body(firstImage, images, cols) per chunk of whole images, with the thread's scratch buffer.
template <typename Body>
void forEachChunk(const ConvGeometry& g, Body body) {
  const int chunk = imagesPerChunk(g);
  float* cols = scratch(chunk * rowsPerImage(g) * patchSize(g)).data();
  for (int b = 0; b < g.n; b += chunk) body(b, std::min(chunk, g.n - b), cols);
}

}  // namespace

void convForward(const ConvGeometry& g, const float* x, const float* filter, float* y) {
  const int64_t k = patchSize(g);
  if (isPointwise(g)) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, g.n * rowsPerImage(g), g.co, k,
                1.0f, x, k, filter, g.co, 0.0f, y, g.co);
    return;
  }
  forEachChunk(g, [&](int b, int images, float* cols) {
    im2col(g, x, b, images, cols);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, images * rowsPerImage(g), g.co, k,
                1.0f, cols, k, filter, g.co, 0.0f, y + b * rowsPerImage(g) * g.co, g.co);
  });
}

void convBackpropFilter(const ConvGeometry& g, const float* x, const float* dy, float* dFilter) {
  const int64_t k = patchSize(g);
  if (isPointwise(g)) {
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, g.co, g.n * rowsPerImage(g),
                1.0f, x, k, dy, g.co, 0.0f, dFilter, g.co);
    return;
  }
  forEachChunk(g, [&](int b, int images, float* cols) {
    im2col(g, x, b, images, cols);
    // The first chunk overwrites dFilter, later ones accumulate into it.
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, g.co, images * rowsPerImage(g),
                1.0f, cols, k, dy + b * rowsPerImage(g) * g.co, g.co, b == 0 ? 0.0f : 1.0f, dFilter, g.co);
  });
}

void convBackpropInput(const ConvGeometry& g, const float* dy, const float* filter, float* dx) {
  const int64_t k = patchSize(g);
  if (isPointwise(g)) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, g.n * rowsPerImage(g), k, g.co,
                1.0f, dy, g.co, filter, g.co, 0.0f, dx, k);
    return;
  }
  std::memset(dx, 0, sizeof(float) * g.n * g.h * g.w * g.ci);
  forEachChunk(g, [&](int b, int images, float* cols) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, images * rowsPerImage(g), k, g.co,
                1.0f, dy + b * rowsPerImage(g) * g.co, g.co, filter, g.co, 0.0f, cols, k);
    col2im(g, cols, b, images, dx);
  });
}

}  // namespace tsnas
