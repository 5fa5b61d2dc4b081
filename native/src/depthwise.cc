#include "depthwise.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace tsnas {
namespace {

// ceil(a / b) for b > 0 and any a.
int ceilDiv(int a, int b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); }

// Calls run(inPixel, outPixel, count, tap) for every image, output row and filter tap: the `count`
// output pixels of the row from outPixel on read the input pixels inPixel, inPixel + sw, ... Taps
// falling in the padding read zeros and are left out, so the loops inside a run have no bounds
// checks. Pixels are flat NHWC pixel indices (times the channel count for an offset).
template <typename Run>
void forEachRun(const ConvGeometry& g, Run run) {
  for (int64_t b = 0; b < g.n; ++b) {
    for (int oy = 0; oy < g.oh; ++oy) {
      const int64_t outRow = (b * g.oh + oy) * g.ow;
      for (int ky = 0; ky < g.kh; ++ky) {
        const int iy = oy * g.sh - g.padTop + ky * g.dh;
        if (iy < 0 || iy >= g.h) continue;
        const int64_t inRow = (b * g.h + iy) * g.w;
        for (int kx = 0; kx < g.kw; ++kx) {
          // ix = ox * sw + shift must lie in 0 .. w-1.
          const int shift = kx * g.dw - g.padLeft;
          const int lo = std::max(0, ceilDiv(-shift, g.sw));
          const int hi = std::min(g.ow, ceilDiv(g.w - shift, g.sw));
          if (lo < hi) run(inRow + int64_t{lo} * g.sw + shift, outRow + lo, hi - lo, int64_t{ky} * g.kw + kx);
        }
      }
    }
  }
}

// Calls body(channels) with the channel count as a compile-time constant for NASNet's widths, so the
// channel loops are fully unrolled vector code; other counts get the run-time value.
template <typename Body>
void withChannels(int ci, Body body) {
  switch (ci) {
    case 8: return body(std::integral_constant<int, 8>{});
    case 16: return body(std::integral_constant<int, 16>{});
    case 32: return body(std::integral_constant<int, 32>{});
    case 64: return body(std::integral_constant<int, 64>{});
    default: return body(ci);
  }
}

// out[c] += a[c] * b[c] for c < n. The arrays never overlap; saying so through restrict parameters
// (which, unlike restrict locals, the compiler keeps when inlining) lets it vectorise without checks.
template <typename Count>
inline void mulAdd(float* __restrict out, const float* __restrict a, const float* __restrict b, Count n) {
  for (int c = 0; c < n; ++c) out[c] += a[c] * b[c];
}

// What an array of a depthwise conv is indexed by: the input pixel, the output pixel or the filter tap.
enum class Role { kIn, kOut, kTap };

struct Operand {
  Role role;
  // Offset of the run's first pixel, and the step from one pixel of the run to the next.
  int64_t base(const ConvGeometry& g, int64_t in, int64_t out, int64_t t) const {
    return role == Role::kIn ? in * g.ci : (role == Role::kOut ? out : t) * g.co;
  }
  int64_t step(const ConvGeometry& g) const {
    return role == Role::kIn ? int64_t{g.sw} * g.ci : role == Role::kOut ? g.co : 0;
  }
  // Where output channel j = c*M+m reads this array within a pixel: the input has channel c.
  int64_t channel(int j, int m) const { return role == Role::kIn ? j / m : j; }
};

// Every depthwise conv kernel is one sum over (input pixel, output pixel, tap) of the product of two
// of x, y and the filter, accumulated into the third: acc[...] += a[...] * b[...]. M = 1 (NASNet's
// separable convs) runs the channel loop innermost and contiguous, which the compiler vectorises;
// M > 1 takes a plain loop over output channel c*M+m, reading input channel c.
void accumulate(const ConvGeometry& g, float* acc, Operand accOp, const float* a, Operand aOp, const float* b, Operand bOp) {
  const int m = g.co / g.ci;
  const int64_t accStep = accOp.step(g), aStep = aOp.step(g), bStep = bOp.step(g);
  auto runs = [&](auto perRun) {
    forEachRun(g, [&](int64_t in, int64_t out, int count, int64_t t) {
      perRun(acc + accOp.base(g, in, out, t), a + aOp.base(g, in, out, t), b + bOp.base(g, in, out, t), count);
    });
  };
  if (m > 1) {
    runs([&](float* o, const float* p, const float* q, int count) {
      for (int i = 0; i < count; ++i, o += accStep, p += aStep, q += bStep) {
        for (int j = 0; j < g.co; ++j) o[accOp.channel(j, m)] += p[aOp.channel(j, m)] * q[bOp.channel(j, m)];
      }
    });
    return;
  }
  withChannels(g.ci, [&](auto channels) {
    constexpr bool fixed = !std::is_same_v<decltype(channels), int>;
    if constexpr (fixed) {
      if (accStep == 0) {
        // The filter gradient: a run sums into one tap, in registers rather than through memory.
        runs([&](float* o, const float* p, const float* q, int count) {
          float sum[channels] = {};
          for (int i = 0; i < count; ++i, p += aStep, q += bStep) mulAdd(sum, p, q, channels);
          for (int c = 0; c < channels; ++c) o[c] += sum[c];
        });
        return;
      }
    }
    runs([&](float* o, const float* p, const float* q, int count) {
      for (int i = 0; i < count; ++i, o += accStep, p += aStep, q += bStep) mulAdd(o, p, q, channels);
    });
  });
}

}  // namespace

void depthwiseForward(const ConvGeometry& g, const float* x, const float* filter, float* y) {
  std::memset(y, 0, sizeof(float) * g.n * g.oh * g.ow * g.co);
  accumulate(g, y, {Role::kOut}, x, {Role::kIn}, filter, {Role::kTap});
}

void depthwiseBackpropFilter(const ConvGeometry& g, const float* x, const float* dy, float* dFilter) {
  std::memset(dFilter, 0, sizeof(float) * g.kh * g.kw * g.co);
  accumulate(g, dFilter, {Role::kTap}, x, {Role::kIn}, dy, {Role::kOut});
}

void depthwiseBackpropInput(const ConvGeometry& g, const float* dy, const float* filter, float* dx) {
  std::memset(dx, 0, sizeof(float) * g.n * g.h * g.w * g.ci);
  accumulate(g, dx, {Role::kIn}, dy, {Role::kOut}, filter, {Role::kTap});
}

}  // namespace tsnas
