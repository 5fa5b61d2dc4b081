#include "loss.h"

#include <cmath>

namespace tsnas {

double sigmoidFocalLoss(int64_t rows, int32_t classes, const float* logits, const int32_t* labels, float alpha,
                        float gamma, float* dLogits) {
  const bool square = gamma == 2.0f;  // the paper's gamma: no pow
  double sum = 0.0;
  for (int64_t r = 0; r < rows; ++r) {
    const float* z = logits + r * classes;
    float* d = dLogits + r * classes;
    if (labels[r] == -2) {
      for (int32_t c = 0; c < classes; ++c) d[c] = 0.0f;
      continue;
    }
    float rowSum = 0.0f;
    for (int32_t c = 0; c < classes; ++c) {
      const bool t = labels[r] == c;
      const float e = std::exp(-std::fabs(z[c]));
      const float p = z[c] >= 0.0f ? 1.0f / (1.0f + e) : e / (1.0f + e);  // sigmoid without overflow
      const float ce = std::fmax(z[c], 0.0f) - (t ? z[c] : 0.0f) + std::log1p(e);
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
