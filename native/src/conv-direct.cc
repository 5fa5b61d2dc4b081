#include "conv-direct.h"

#include <algorithm>
#include <cstring>

#include "lanes.h"
#include "scratch.h"

namespace tsnas {
namespace {

// Tiles of 16-float vectors (zmm) where the output channels come in 16s, of 8 (ymm) for 24 and 8:
// an Intel core with two 512-bit FMA units does twice the work per cycle on 16 lanes; Zen 4 splits a
// 512-bit FMA into two 256-bit halves, the same floats per cycle as two 8-lane ones.
template <int L>
inline FloatLanes<L> load(const float* p) { return loadLanes<FloatLanes<L>>(p); }

struct PaddedTag {};
struct RowsTag {};

// Images of x with zero rows and columns around them, [hp, wp, ci] each, so that every tap of every
// output lies inside and the tiles need no bounds checks; x itself where it needs none.
struct Padded {
  int64_t hp, wp;
  bool copy;
  Padded(const ConvGeometry& g)
      : hp(std::max<int64_t>(g.h + g.padTop, int64_t{g.oh - 1} * g.sh + int64_t{g.kh - 1} * g.dh + 1)),
        wp(std::max<int64_t>(g.w + g.padLeft, int64_t{g.ow - 1} * g.sw + int64_t{g.kw - 1} * g.dw + 1)),
        copy(g.padTop != 0 || g.padLeft != 0 || hp != g.h || wp != g.w) {}
  int64_t imageFloats(const ConvGeometry& g) const { return hp * wp * g.ci; }

  // Images first .. first + count - 1 of x, padded into dst (or x's own, where no copy is needed).
  // The zeros around them are written when `zero` (a call's first images): later images of the call
  // reuse dst and leave its borders as they are (a memset per row and image was ~1.3 % of a detector step).
  const float* images(const ConvGeometry& g, const float* x, int64_t first, int64_t count, float* dst, bool zero) const {
    const int64_t inner = int64_t{g.w} * g.ci;
    if (!copy) return x + first * g.h * inner;
    const int64_t row = wp * g.ci, left = int64_t{g.padLeft} * g.ci;
    if (zero) std::memset(dst, 0, sizeof(float) * count * hp * row);
    for (int64_t b = 0; b < count; ++b) {
      float* img = dst + b * hp * row + g.padTop * row + left;
      const float* src = x + (first + b) * g.h * inner;
      for (int64_t iy = 0; iy < g.h; ++iy) std::memcpy(img + iy * row, src + iy * inner, sizeof(float) * inner);
    }
    return dst;
  }
};

// Forward: kPixels adjacent outputs of one row times kVectors*8 output channels, summed in registers
// over the taps and input channels. xp: the padded input under the first pixel's first tap.
// KW = 3: a stride-1 undilated filter 3 taps wide, whose adjacent pixels share input pixels: each
// input float is read once for the 3 taps it meets (kPixels + 2 reads a row and channel, not
// 3 * kPixels), which the 16-channel tiles' one FMA per read had left bound by the loads.
template <int L, int kPixels, int kVectors, int KW>
void forwardTile(const ConvGeometry& g, const float* __restrict xp, int64_t rowStride, const float* __restrict filter,
                 float* __restrict y, int64_t yPixel) {
  const int64_t pixelStride = int64_t{g.sw} * g.ci;
  using Lanes = FloatLanes<L>;
  Lanes sums[kPixels][kVectors] = {};
  if constexpr (KW > 0) {
    for (int ky = 0; ky < g.kh; ++ky) {
      const float* xr = xp + ky * g.dh * rowStride;
      const float* fr = filter + int64_t{ky} * KW * g.ci * g.co;
      for (int c = 0; c < g.ci; ++c) {
        Lanes w[KW][kVectors];
        for (int kx = 0; kx < KW; ++kx)
          for (int v = 0; v < kVectors; ++v) w[kx][v] = load<L>(fr + (int64_t{kx} * g.ci + c) * g.co + v * L);
        // Unrolled, so that the sums stay in registers (a loop over q left them in memory: 30 GFLOP/s).
#pragma GCC unroll 32
        for (int q = 0; q < kPixels + KW - 1; ++q) {
          const float a = xr[q * g.ci + c];
#pragma GCC unroll 4
          for (int kx = 0; kx < KW; ++kx) {
            const int p = q - kx;
            if (p >= 0 && p < kPixels)
              for (int v = 0; v < kVectors; ++v) sums[p][v] += a * w[kx][v];
          }
        }
      }
    }
  } else {
    for (int ky = 0; ky < g.kh; ++ky)
      for (int kx = 0; kx < g.kw; ++kx) {
        const float* xt = xp + ky * g.dh * rowStride + int64_t{kx} * g.dw * g.ci;
        const float* ft = filter + (int64_t{ky} * g.kw + kx) * g.ci * g.co;
        for (int c = 0; c < g.ci; ++c) {
          Lanes w[kVectors];
          for (int v = 0; v < kVectors; ++v) w[v] = load<L>(ft + int64_t{c} * g.co + v * L);
          for (int p = 0; p < kPixels; ++p) {
            const float a = xt[p * pixelStride + c];
            for (int v = 0; v < kVectors; ++v) sums[p][v] += a * w[v];
          }
        }
      }
  }
  for (int p = 0; p < kPixels; ++p)
    for (int v = 0; v < kVectors; ++v) storeLanes(y + p * yPixel + v * L, sums[p][v]);
}

// The last count < kPixels outputs of a row, as one narrower tile.
template <int L, int kVectors, int kPixels, int KW>
void forwardRest(int count, const ConvGeometry& g, const float* xp, int64_t rowStride, const float* filter, float* y,
                 int64_t yPixel) {
  if constexpr (kPixels > 0) {
    if (count == kPixels) return forwardTile<L, kPixels, kVectors, KW>(g, xp, rowStride, filter, y, yPixel);
    return forwardRest<L, kVectors, kPixels - 1, KW>(count, g, xp, rowStride, filter, y, yPixel);
  }
}

// One output row, channels o0 .. o0 + kVectors*L - 1.
template <int L, int kVectors, int kPixels, int KW>
void forwardRow(const ConvGeometry& g, const float* xrow, int64_t rowStride, const float* filter, int o0, float* yrow,
                int64_t yPixel) {
  const int64_t pixelStride = int64_t{g.sw} * g.ci;
  int ox = 0;
  for (; ox + kPixels <= g.ow; ox += kPixels)
    forwardTile<L, kPixels, kVectors, KW>(g, xrow + ox * pixelStride, rowStride, filter + o0, yrow + ox * yPixel + o0, yPixel);
  if (ox < g.ow)
    forwardRest<L, kVectors, kPixels - 1, KW>(g.ow - ox, g, xrow + ox * pixelStride, rowStride, filter + o0,
                                          yrow + ox * yPixel + o0, yPixel);
}

// Filter gradient: kChannels input channels of one tap times kVectors*L output channels, summed in
// registers over a chunk of output rows (rows[r]: the padded input row under row r's first tap).
template <int L, int kChannels, int kVectors>
void filterTile(const ConvGeometry& g, const float* const* rows, int count, int64_t offset, const float* __restrict dy,
                float* __restrict dFilter) {
  const int64_t pixelStride = int64_t{g.sw} * g.ci;
  using Lanes = FloatLanes<L>;
  Lanes sums[kChannels][kVectors];
  for (int c = 0; c < kChannels; ++c)
    for (int v = 0; v < kVectors; ++v) sums[c][v] = load<L>(dFilter + int64_t{c} * g.co + v * L);
  for (int r = 0; r < count; ++r, dy += int64_t{g.ow} * g.co) {
    const float* __restrict xr = rows[r] + offset;
    for (int q = 0; q < g.ow; ++q) {
      Lanes d[kVectors];
      for (int v = 0; v < kVectors; ++v) d[v] = load<L>(dy + int64_t{q} * g.co + v * L);
      const float* xq = xr + q * pixelStride;
      for (int c = 0; c < kChannels; ++c) {
        const float a = xq[c];
        for (int v = 0; v < kVectors; ++v) sums[c][v] += a * d[v];
      }
    }
  }
  for (int c = 0; c < kChannels; ++c)
    for (int v = 0; v < kVectors; ++v) storeLanes(dFilter + int64_t{c} * g.co + v * L, sums[c][v]);
}

template <int L, int kVectors, int kChannels>
void filterRest(int channels, const ConvGeometry& g, const float* const* rows, int count, int64_t offset, const float* dy,
                float* dFilter) {
  if constexpr (kChannels > 0) {
    if (channels == kChannels) return filterTile<L, kChannels, kVectors>(g, rows, count, offset, dy, dFilter);
    return filterRest<L, kVectors, kChannels - 1>(channels, g, rows, count, offset, dy, dFilter);
  }
}

// One chunk of rows: every tap and input channel, output channels o0 .. o0 + kVectors*L - 1.
template <int L, int kVectors, int kChannels>
void filterChunk(const ConvGeometry& g, const float* const* rows, int count, int64_t rowStride, const float* dy, int o0,
                 float* dFilter) {
  for (int ky = 0; ky < g.kh; ++ky)
    for (int kx = 0; kx < g.kw; ++kx) {
      const int64_t tap = ky * g.dh * rowStride + int64_t{kx} * g.dw * g.ci;
      float* ft = dFilter + (int64_t{ky} * g.kw + kx) * g.ci * g.co + o0;
      int c = 0;
      for (; c + kChannels <= g.ci; c += kChannels)
        filterTile<L, kChannels, kVectors>(g, rows, count, tap + c, dy + o0, ft + int64_t{c} * g.co);
      if (c < g.ci) filterRest<L, kVectors, kChannels - 1>(g.ci - c, g, rows, count, tap + c, dy + o0, ft + int64_t{c} * g.co);
    }
}

// Output pixels per chunk of the filter gradient: its dy (32 channels: 128 KB) stays in L2 while
// every tap and channel block passes over it (256 ran at 80-90 GFLOP/s on 32 channels, 1024 at 90-109).
constexpr int kFilterChunkPixels = 1024;

thread_local bool directOn = true;

// Tile sizes of the 16-lane blocks (conv-native on an Ice Lake Xeon, direct against im2col in the
// same run): the forward conv's 8 pixels x 32 channels ran 1.4x im2col (12 pixels: no better, and
// more remainders), 16 x 16 1.4x (8: the same, 24: 0.84x); the filter gradient's 12 input channels x
// 32 output channels 1.3x (8: 0.94x, 4: 0.6x), 16 x 16 1.5x (8 or 12: 1.1x).
#if defined(__AVX512F__)
constexpr int kForwardPixels32 = 8, kForwardPixels16 = 16;
constexpr int kFilterChannels32 = 12, kFilterChannels16 = 16;
#else
// AVX2's 16 registers (conv-native on a 2-core AMD EPYC VM, direct against im2col in the same run):
// 16 channels (two 8-lane vectors) x 6 pixels, 12 sums, 8 channels x 12; the 3-tap tile holds its 3
// taps' weights too: 4 / 8 pixels (3x3 stride 1 forward and input gradient: the generic tile 29-32
// GFLOP/s, the 3-tap one 34-37, of the core's 40; im2col 19-22). Filter gradient: 4 / 8 input
// channels (6 / 12: 9-15 GFLOP/s, im2col 21-28; 4 / 8: 28-36).
constexpr int kForwardPixels16 = 6, kForwardPixels8 = 12, kSharedPixels16 = 4, kSharedPixels8 = 8;
constexpr int kFilterChannels16 = 4, kFilterChannels8 = 8;
#endif

}  // namespace

#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__))
constexpr bool kDirectBuilt = true;
#else
constexpr bool kDirectBuilt = false;
#endif

bool useDirectConv(bool on) {
  directOn = on;
  return kDirectBuilt && directOn;
}

bool directConvFits(const ConvGeometry& g) {
  return kDirectBuilt && directOn && g.co % 8 == 0 && g.ow >= 8 && g.padTop >= 0 && g.padLeft >= 0;
}

// Tiles per output-channel count, AVX-512: blocks of 32 and 16 in 16 lanes, a last 24 or 8 in 8 lanes
// (8-lane tiles of 8 pixels x 32 channels, 32 sums, ran at 108 GFLOP/s on Zen 4, 4 x 32 at 60: too
// few sums for the loads; 16-lane tiles take 16 sums, the rest of the 32 registers hold weights);
// AVX2: 16s, then a last 8. filterChannels repeats the blocks: one helper calling both through a
// generic lambda slowed the filter gradient's tiles by ~20 % (GCC inlined them differently;
// conv-native, P3 94-99 -> 74-80 GFLOP/s).
namespace {

// One output row, every channel block (KW as forwardTile's).
template <int KW>
void forwardChannels(const ConvGeometry& g, const float* xrow, int64_t rowStride, const float* filter, float* yrow, int64_t yPixel) {
  int o0 = 0;
#if defined(__AVX512F__)
  for (; o0 + 32 <= g.co; o0 += 32) forwardRow<16, 2, kForwardPixels32, KW>(g, xrow, rowStride, filter, o0, yrow, yPixel);
  if (g.co - o0 == 24) {
    forwardRow<8, 3, 8, KW>(g, xrow, rowStride, filter, o0, yrow, yPixel);
    o0 += 24;
  }
  for (; o0 + 16 <= g.co; o0 += 16) forwardRow<16, 1, kForwardPixels16, KW>(g, xrow, rowStride, filter, o0, yrow, yPixel);
  for (; o0 < g.co; o0 += 8) forwardRow<8, 1, 16, KW>(g, xrow, rowStride, filter, o0, yrow, yPixel);
#else
  constexpr int pixels16 = KW == 3 ? kSharedPixels16 : kForwardPixels16, pixels8 = KW == 3 ? kSharedPixels8 : kForwardPixels8;
  for (; o0 + 16 <= g.co; o0 += 16) forwardRow<8, 2, pixels16, KW>(g, xrow, rowStride, filter, o0, yrow, yPixel);
  if (o0 < g.co) forwardRow<8, 1, pixels8, KW>(g, xrow, rowStride, filter, o0, yrow, yPixel);
#endif
}

// One chunk of rows of the filter gradient, every output channel block.
void filterChannels(const ConvGeometry& g, const float* const* rows, int count, int64_t rowStride, const float* dy, float* dFilter) {
  int o0 = 0;
#if defined(__AVX512F__)
  for (; o0 + 32 <= g.co; o0 += 32) filterChunk<16, 2, kFilterChannels32>(g, rows, count, rowStride, dy, o0, dFilter);
  if (g.co - o0 == 24) {
    filterChunk<8, 3, 8>(g, rows, count, rowStride, dy, o0, dFilter);
    o0 += 24;
  }
  for (; o0 + 16 <= g.co; o0 += 16) filterChunk<16, 1, kFilterChannels16>(g, rows, count, rowStride, dy, o0, dFilter);
  for (; o0 < g.co; o0 += 8) filterChunk<8, 1, 16>(g, rows, count, rowStride, dy, o0, dFilter);
#else
  for (; o0 + 16 <= g.co; o0 += 16) filterChunk<8, 2, kFilterChannels16>(g, rows, count, rowStride, dy, o0, dFilter);
  if (o0 < g.co) filterChunk<8, 1, kFilterChannels8>(g, rows, count, rowStride, dy, o0, dFilter);
#endif
}

}  // namespace

void directConvForward(const ConvGeometry& g, const float* x, const float* filter, float* y) {
  directConvForwardInto(g, x, filter, y, {g.co, int64_t{g.ow} * g.co, int64_t{g.oh} * g.ow * g.co});
}

void directConvForwardInto(const ConvGeometry& g, const float* x, const float* filter, float* y, const OutputStrides& out) {
  // One image padded at a time: it is still in L2 when the tiles read it (a whole batch of 64x64x16
  // maps, padded first, had left it: 1.55 ms against im2col's 1.33).
  const Padded pad(g);
  float* buffer = pad.copy ? scratch<PaddedTag>(pad.imageFloats(g)) : nullptr;
  const int64_t rowStride = pad.wp * g.ci;
  const bool sharedTaps = g.kw == 3 && g.sw == 1 && g.dw == 1;
  for (int64_t b = 0; b < g.n; ++b) {
    const float* img = pad.images(g, x, b, 1, buffer, b == 0);
    for (int oy = 0; oy < g.oh; ++oy) {
      const float* xrow = img + int64_t{oy} * g.sh * rowStride;
      float* yrow = y + b * out.image + oy * out.row;
      if (sharedTaps) forwardChannels<3>(g, xrow, rowStride, filter, yrow, out.pixel);
      else forwardChannels<0>(g, xrow, rowStride, filter, yrow, out.pixel);
    }
  }
}

void directConvBackpropFilter(const ConvGeometry& g, const float* x, const float* dy, float* dFilter) {
  // Chunks of about kFilterChunkPixels output pixels: rows of one image, or whole small images; the
  // images under a chunk are padded just before it, and are still in L2 when its tiles read them.
  const Padded pad(g);
  const int64_t perImage = int64_t{g.oh} * g.ow;
  const int64_t group = std::max<int64_t>(1, kFilterChunkPixels / perImage);
  const int64_t chunkRows = group > 1 ? group * g.oh : (kFilterChunkPixels + g.ow - 1) / g.ow;
  float* buffer = pad.copy ? scratch<PaddedTag>(group * pad.imageFloats(g)) : nullptr;
  const float** rows = scratch<RowsTag, const float*>(group * g.oh);
  const int64_t rowStride = pad.wp * g.ci;
  std::memset(dFilter, 0, sizeof(float) * g.kh * g.kw * g.ci * g.co);
  for (int64_t b0 = 0; b0 < g.n; b0 += group) {
    const int64_t images = std::min(group, g.n - b0), total = images * g.oh;
    const float* in = pad.images(g, x, b0, images, buffer, b0 == 0);
    for (int64_t r = 0; r < total; ++r) rows[r] = in + ((r / g.oh) * pad.hp + (r % g.oh) * g.sh) * rowStride;
    for (int64_t r = 0; r < total; r += chunkRows) {
      const int count = static_cast<int>(std::min(chunkRows, total - r));
      const float* d = dy + (b0 * g.oh + r) * g.ow * g.co;
      filterChannels(g, rows + r, count, rowStride, d, dFilter);
    }
  }
}

}  // namespace tsnas
