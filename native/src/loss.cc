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

namespace tsnas {
namespace {

// e = exp(-|z|) and l = log1p(e), the parts of the sigmoid and the softplus that need no branch.
void softplusParts(const float* __restrict z, int64_t n, float* __restrict e, float* __restrict l) {
  for (int64_t i = 0; i < n; ++i) {
    const float v = expf(-std::fabs(z[i]));
    e[i] = v;
    l[i] = log1pf(v);
  }
}

}  // namespace

double sigmoidFocalLoss(int64_t rows, int32_t classes, const float* logits, const int32_t* labels, float alpha,
                        float gamma, float* dLogits) {
  const bool square = gamma == 2.0f;  // the paper's gamma: no pow
  thread_local std::vector<float> parts;
  const int64_t n = rows * classes;
  if (static_cast<int64_t>(parts.size()) < 2 * n) parts.resize(2 * n);
  softplusParts(logits, n, parts.data(), parts.data() + n);
  double sum = 0.0;
  for (int64_t r = 0; r < rows; ++r) {
    const float* z = logits + r * classes;
    const float* es = parts.data() + r * classes;
    const float* logs = parts.data() + n + r * classes;
    float* d = dLogits + r * classes;
    if (labels[r] == -2) {
      for (int32_t c = 0; c < classes; ++c) d[c] = 0.0f;
      continue;
    }
    float rowSum = 0.0f;
    for (int32_t c = 0; c < classes; ++c) {
      const bool t = labels[r] == c;
      const float e = es[c];
      const float p = z[c] >= 0.0f ? 1.0f / (1.0f + e) : e / (1.0f + e);  // sigmoid without overflow
      const float ce = std::fmax(z[c], 0.0f) - (t ? z[c] : 0.0f) + logs[c];
      const float miss = t ? 1.0f - p : p;  // 1 - p_t
      const float weight = t ? alpha : 1.0f - alpha;
      const float missPow = square ? miss * miss : std::pow(miss, gamma);
      // d(miss^gamma)/dz = gamma miss^(gamma-1) dmiss/dz, dmiss/dz = (t ? -1 : 1) p (1 - p); dCE/dz = p - t.
      const float dMiss = (t ? -p : p) * (1.0f - p);
      const float dMissPow = square ? 2.0f * miss * dMiss
                                    : (miss > 0.0f ? gamma * missPow / miss * dMiss : (gamma == 1.0f ? dMiss : 0.0f));
      rowSum += weight * missPow * ce;
      d[c] = weight * (dMissPow * ce + missPow * (p - (t ? 1.0f : 0.0f)));
    }
    sum += rowSum;
  }
  return sum;
}

}  // namespace tsnas
