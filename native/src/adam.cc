#include "adam.h"

#include <cmath>

namespace tsnas {

void adamUpdate(int64_t n, const AdamHyper& h, const float* x, const float* g, const float* m, const float* v,
                float* x1, float* m1, float* v1) {
  const float b1 = h.beta1, b2 = h.beta2;
  for (int64_t i = 0; i < n; ++i) {
    const float mi = b1 * m[i] + (1.0f - b1) * g[i];
    const float vi = b2 * v[i] + (1.0f - b2) * g[i] * g[i];
    m1[i] = mi;
    v1[i] = vi;
    x1[i] = x[i] - h.learningRate * (mi * h.correction1) / (std::sqrt(vi * h.correction2) + h.epsilon);
  }
}

}  // namespace tsnas
