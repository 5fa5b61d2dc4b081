// RetinaNet's sigmoid focal loss over [rows, classes] logits, with its gradient, in one pass.
#pragma once
#include <cstdint>

namespace tsnas {

// Returns the sum over rows whose label is not -2 (ignored) of sum over classes of
//   a_t (1 - p_t)^gamma CE(z, t),  t = (label == class), p = sigmoid(z),
// with p_t = t ? p : 1 - p, a_t = t ? alpha : 1 - alpha, and CE the stable sigmoid cross-entropy
// max(z, 0) - z t + log1p(exp(-|z|)). Labels: class index, -1 background, -2 ignored.
// Writes d(sum)/d logits to dLogits (0 on ignored rows): the same transcendentals serve both.
double sigmoidFocalLoss(int64_t rows, int32_t classes, const float* logits, const int32_t* labels, float alpha,
                        float gamma, float* dLogits);

}  // namespace tsnas
