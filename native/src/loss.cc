#include "loss.h"

#include <cmath>
#include <vector>

// glibc's libmvec has vector expf and log1pf (16 at a time with AVX-512). Declared simd, they are
// what the compiler calls from softplusParts' loop: scalar calls took 2-3 ms of a detector step.
// binding.gyp links libmvec and defines TSNAS_LIBMVEC where the toolchain has it; log1pf joined it
// in glibc 2.35.
#if defined(TSNAS_LIBMVEC) && defined(__GLIBC__)
extern "C" float expf(float) noexcept __attribute__((simd("notinbranch")));
#if __GLIBC_PREREQ(2, 35)
extern "C" float log1pf(float) noexcept __attribute__((simd("notinbranch")));
#endif
#endif

// GCC's tuning for Zen 1 and 2 prefers 16-byte vectors, so its loops called libmvec's 4-wide SSE
// variants: the 8-wide AVX2 ones ran the softplus parts 1.75x as fast on a Zen 1 EPYC (491k logits:
// 3.5 -> 2.0 ms); not inlined, which would vectorize them by the caller's tuning. Builds for AVX-512
// keep their own width.
#if defined(__AVX2__) && !defined(__AVX512F__)
#define TSNAS_WIDE_LOOPS __attribute__((noinline, target("prefer-vector-width=256")))
#else
#define TSNAS_WIDE_LOOPS
#endif

namespace tsnas {
namespace {

// e = exp(-|z|) and l = log1p(e), the parts of the sigmoid and the softplus that need no branch.
TSNAS_WIDE_LOOPS void softplusParts(const float* __restrict z, int64_t n, float* __restrict e, float* __restrict l) {
  for (int64_t i = 0; i < n; ++i) {
    const float v = expf(-std::fabs(z[i]));
    e[i] = v;
    l[i] = log1pf(v);
  }
}

// One row's terms a_t (1 - p_t)^gamma CE and its gradient, without branches (selects, and max as a
// select): GCC vectorizes it over the classes. The branches and fmaxf calls it had ran at ~15 ns a
// logit. The terms are summed by the caller, in the classes' order.
template <bool kSquare>
TSNAS_WIDE_LOOPS void focalRow(const float* __restrict z, const float* __restrict es, const float* __restrict logs, int32_t label,
              int32_t classes, float alpha, float gamma, float* __restrict terms, float* __restrict d) {
  for (int32_t c = 0; c < classes; ++c) {
    const bool t = label == c;
    const float e = es[c], zc = z[c];
    const float p = (zc >= 0.0f ? 1.0f : e) / (1.0f + e);  // sigmoid without overflow
    const float ce = (zc > 0.0f ? zc : 0.0f) - (t ? zc : 0.0f) + logs[c];
    const float miss = t ? 1.0f - p : p;  // 1 - p_t
    const float weight = t ? alpha : 1.0f - alpha;
    // d(miss^gamma)/dz = gamma miss^(gamma-1) dmiss/dz, dmiss/dz = (t ? -1 : 1) p (1 - p); dCE/dz = p - t.
    const float dMiss = (t ? -p : p) * (1.0f - p);
    float missPow, dMissPow;
    if constexpr (kSquare) {
      missPow = miss * miss;
      dMissPow = 2.0f * miss * dMiss;
    } else {
      missPow = std::pow(miss, gamma);
      dMissPow = miss > 0.0f ? gamma * missPow / miss * dMiss : (gamma == 1.0f ? dMiss : 0.0f);
    }
    terms[c] = weight * missPow * ce;
    d[c] = weight * (dMissPow * ce + missPow * (p - (t ? 1.0f : 0.0f)));
  }
}

}  // namespace

double sigmoidFocalLoss(int64_t rows, int32_t classes, const float* logits, const int32_t* labels, float alpha,
                        float gamma, float* dLogits) {
  const bool square = gamma == 2.0f;  // the paper's gamma: no pow
  thread_local std::vector<float> parts;
  const int64_t n = rows * classes;
  // e, log1p(e) for every logit, then one row's terms.
  if (static_cast<int64_t>(parts.size()) < 2 * n + classes) parts.resize(2 * n + classes);
  float* const es = parts.data();
  float* const logs = es + n;
  float* const terms = logs + n;
  softplusParts(logits, n, es, logs);
  double sum = 0.0;
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t o = r * classes;
    float* d = dLogits + o;
    if (labels[r] == -2) {
      for (int32_t c = 0; c < classes; ++c) d[c] = 0.0f;
      continue;
    }
    if (square) focalRow<true>(logits + o, es + o, logs + o, labels[r], classes, alpha, gamma, terms, d);
    else focalRow<false>(logits + o, es + o, logs + o, labels[r], classes, alpha, gamma, terms, d);
    float rowSum = 0.0f;
    for (int32_t c = 0; c < classes; ++c) rowSum += terms[c];
    sum += rowSum;
  }
  return sum;
}

}  // namespace tsnas
