#include "channels.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace tsnas {
namespace {

std::vector<float> inverseStd(int32_t channels, float eps, const float* variance) {
  std::vector<float> inv(channels);
  for (int32_t c = 0; c < channels; ++c) inv[c] = 1.0f / std::sqrt(variance[c] + eps);
  return inv;
}

// Two per-channel sums over all rows: addRow(r, sum1, sum2) adds row r's terms to float partial sums,
// which cover one block of rows (a loop the compiler vectorises) and are then added in double.
template <typename AddRow>
void blockedSums(int64_t rows, int32_t channels, AddRow addRow, std::vector<double>& sum1, std::vector<double>& sum2) {
  constexpr int64_t kBlock = 256;
  std::vector<float> part1(channels), part2(channels);
  for (int64_t r0 = 0; r0 < rows; r0 += kBlock) {
    const int64_t r1 = r0 + kBlock < rows ? r0 + kBlock : rows;
    for (int32_t c = 0; c < channels; ++c) part1[c] = part2[c] = 0.0f;
    for (int64_t r = r0; r < r1; ++r) addRow(r, part1.data(), part2.data());
    for (int32_t c = 0; c < channels; ++c) {
      sum1[c] += part1[c];
      sum2[c] += part2[c];
    }
  }
}

}  // namespace

void batchNormForward(int64_t rows, int32_t channels, float eps, const float* x, const float* gamma,
                      const float* beta, float* y, float* mean, float* variance, bool relu) {
  // Shifted sums (by the first row) keep the one-pass variance accurate when |mean| >> std.
  std::vector<double> sum(channels, 0.0), sumSq(channels, 0.0);
  const float* shift = x;
  blockedSums(rows, channels, [&](int64_t r, float* s1, float* s2) {
    const float* row = x + r * channels;
    for (int32_t c = 0; c < channels; ++c) {
      const float d = row[c] - shift[c];
      s1[c] += d;
      s2[c] += d * d;
    }
  }, sum, sumSq);
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
    if (relu) {
      for (int32_t c = 0; c < channels; ++c) out[c] = std::max((in[c] - mean[c]) * scale[c] + beta[c], 0.0f);
    } else {
      for (int32_t c = 0; c < channels; ++c) out[c] = (in[c] - mean[c]) * scale[c] + beta[c];
    }
  }
}

void batchNormBackward(int64_t rows, int32_t channels, float eps, const float* dy, const float* x,
                       const float* gamma, const float* mean, const float* variance, const float* reluY,
                       float* dx, float* dGamma, float* dBeta) {
  const std::vector<float> inv = inverseStd(channels, eps, variance);
  // After a fused ReLU, the BatchNorm's own dy is dy where the output is positive, else 0 (ReLU's
  // gradient at 0 is 0, as tf.relu's): masked into dx, which the last pass then overwrites row by
  // row with the result (so no extra buffer).
  if (reluY != nullptr) {
    for (int64_t i = 0; i < rows * channels; ++i) dx[i] = reluY[i] > 0.0f ? dy[i] : 0.0f;
    dy = dx;
  }
  // dBeta = sum dy, dGamma = sum dy * xhat, with xhat = (x - mean) * inv.
  std::vector<double> sumDy(channels, 0.0), sumDyX(channels, 0.0);
  blockedSums(rows, channels, [&](int64_t r, float* s1, float* s2) {
    const float* g = dy + r * channels;
    const float* in = x + r * channels;
    for (int32_t c = 0; c < channels; ++c) {
      s1[c] += g[c];
      s2[c] += g[c] * (in[c] - mean[c]);
    }
  }, sumDy, sumDyX);
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
