#include "channels.h"

#include <cmath>
#include <vector>

namespace tsnas {
namespace {

std::vector<float> inverseStd(int32_t channels, float eps, const float* variance) {
  std::vector<float> inv(channels);
  for (int32_t c = 0; c < channels; ++c) inv[c] = 1.0f / std::sqrt(variance[c] + eps);
  return inv;
}

}  // namespace

void batchNormForward(int64_t rows, int32_t channels, float eps, const float* x, const float* gamma,
                      const float* beta, float* y, float* mean, float* variance) {
  // Shifted sums (by the first row) keep the one-pass variance accurate when |mean| >> std; float
  // partial sums per row block, accumulated in double, keep it vectorised and accurate.
  std::vector<double> sum(channels, 0.0), sumSq(channels, 0.0);
  std::vector<float> partSum(channels), partSq(channels);
  const float* shift = x;
  constexpr int64_t kBlock = 256;
  for (int64_t r0 = 0; r0 < rows; r0 += kBlock) {
    const int64_t r1 = r0 + kBlock < rows ? r0 + kBlock : rows;
    for (int32_t c = 0; c < channels; ++c) partSum[c] = partSq[c] = 0.0f;
    for (int64_t r = r0; r < r1; ++r) {
      const float* row = x + r * channels;
      for (int32_t c = 0; c < channels; ++c) {
        const float d = row[c] - shift[c];
        partSum[c] += d;
        partSq[c] += d * d;
      }
    }
    for (int32_t c = 0; c < channels; ++c) {
      sum[c] += partSum[c];
      sumSq[c] += partSq[c];
    }
  }
  std::vector<float> scale(channels);
  for (int32_t c = 0; c < channels; ++c) {
    const double m = sum[c] / rows;
    const double v = sumSq[c] / rows - m * m;
    mean[c] = static_cast<float>(m + shift[c]);
    variance[c] = static_cast<float>(v > 0.0 ? v : 0.0);
    scale[c] = gamma[c] / std::sqrt(variance[c] + eps);
  }
  // Centred before scaling: x * scale + (beta - mean * scale) would cancel when |mean| >> std.
  for (int64_t r = 0; r < rows; ++r) {
    const float* in = x + r * channels;
    float* out = y + r * channels;
    for (int32_t c = 0; c < channels; ++c) out[c] = (in[c] - mean[c]) * scale[c] + beta[c];
  }
}

void batchNormBackward(int64_t rows, int32_t channels, float eps, const float* dy, const float* x,
                       const float* gamma, const float* mean, const float* variance, float* dx,
                       float* dGamma, float* dBeta) {
  const std::vector<float> inv = inverseStd(channels, eps, variance);
  // dBeta = sum dy, dGamma = sum dy * xhat, with xhat = (x - mean) * inv.
  std::vector<double> sumDy(channels, 0.0), sumDyX(channels, 0.0);
  std::vector<float> partDy(channels), partDyX(channels);
  constexpr int64_t kBlock = 256;
  for (int64_t r0 = 0; r0 < rows; r0 += kBlock) {
    const int64_t r1 = r0 + kBlock < rows ? r0 + kBlock : rows;
    for (int32_t c = 0; c < channels; ++c) partDy[c] = partDyX[c] = 0.0f;
    for (int64_t r = r0; r < r1; ++r) {
      const float* g = dy + r * channels;
      const float* in = x + r * channels;
      for (int32_t c = 0; c < channels; ++c) {
        partDy[c] += g[c];
        partDyX[c] += g[c] * (in[c] - mean[c]);
      }
    }
    for (int32_t c = 0; c < channels; ++c) {
      sumDy[c] += partDy[c];
      sumDyX[c] += partDyX[c];
    }
  }
  // dx = gamma * inv / M * (M dy - dBeta - xhat dGamma) = a dy + b (x - mean) + k per channel; centred
  // for the same reason as the forward pass.
  std::vector<float> a(channels), b(channels), k(channels);
  for (int32_t c = 0; c < channels; ++c) {
    dBeta[c] = static_cast<float>(sumDy[c]);
    dGamma[c] = static_cast<float>(sumDyX[c] * inv[c]);
    const double s = static_cast<double>(gamma[c]) * inv[c];
    a[c] = static_cast<float>(s);
    b[c] = static_cast<float>(-s * inv[c] * inv[c] * sumDyX[c] / rows);
    k[c] = static_cast<float>(-s * sumDy[c] / rows);
  }
  for (int64_t r = 0; r < rows; ++r) {
    const float* g = dy + r * channels;
    const float* in = x + r * channels;
    float* out = dx + r * channels;
    for (int32_t c = 0; c < channels; ++c) out[c] = a[c] * g[c] + b[c] * (in[c] - mean[c]) + k[c];
  }
}

}  // namespace tsnas
