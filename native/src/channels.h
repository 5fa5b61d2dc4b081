// Per-channel kernels over NHWC data viewed as [rows, channels]: training-mode BatchNorm and its gradient.
#pragma once
#include <cstdint>

namespace tsnas {

// y = (x - mean) / sqrt(var + eps) * gamma + beta with the batch's mean and (biased) variance, which
// are written out for the moving averages; with `relu`, y = max(0, that).
void batchNormForward(int64_t rows, int32_t channels, float eps, const float* x, const float* gamma,
                      const float* beta, float* y, float* mean, float* variance, bool relu);

// Gradients of batchNormForward's y (the batch statistics count as functions of x). reluY: the
// forward's output when it ran with relu (dy is masked where it is not positive), else nullptr.
void batchNormBackward(int64_t rows, int32_t channels, float eps, const float* dy, const float* x,
                       const float* gamma, const float* mean, const float* variance, const float* reluY,
                       float* dx, float* dGamma, float* dBeta);

}  // namespace tsnas
