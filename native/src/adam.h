// One Adam step for one variable, as tf.train.adam computes it.
#pragma once
#include <cstdint>

namespace tsnas {

struct AdamHyper {
  float learningRate, beta1, beta2, epsilon;
  // 1 / (1 - beta^t): the bias corrections of step t.
  float correction1, correction2;
};

// m' = b1 m + (1 - b1) g; v' = b2 v + (1 - b2) g^2; x' = x - lr (m' c1) / (sqrt(v' c2) + eps).
void adamUpdate(int64_t n, const AdamHyper& h, const float* x, const float* g, const float* m, const float* v,
                float* x1, float* m1, float* v1);

}  // namespace tsnas
