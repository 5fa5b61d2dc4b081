#include "channels.h"

#include "lanes.h"

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

// The same passes for channels = 8*V (V <= 8), a row being V 8-float vectors whose sums and per-channel
// factors stay in registers: the loops above, over a runtime channel count, cost ~0.5-1.4 ns a float
// in prologues and partial-sum loads and stores (sums in the same order, so the results are the same).
using Eight = FloatLanes<8>;

template <int V>
struct Rows {
  Eight v[V];
  static Rows load(const float* p) {
    Rows r;
    for (int i = 0; i < V; ++i) r.v[i] = loadLanes<Eight>(p + 8 * i);
    return r;
  }
  void store(float* p) const {
    for (int i = 0; i < V; ++i) storeLanes(p + 8 * i, v[i]);
  }
};

// Adds the float vector sums of blocks of kBlock rows into double ones, as blockedSums does.
template <int V, typename AddRow>
void vectorSums(int64_t rows, AddRow addRow, std::vector<double>& sum1, std::vector<double>& sum2) {
  constexpr int64_t kBlock = 256;
  for (int64_t r0 = 0; r0 < rows; r0 += kBlock) {
    const int64_t r1 = r0 + kBlock < rows ? r0 + kBlock : rows;
    Rows<V> s1{}, s2{};
    for (int64_t r = r0; r < r1; ++r) addRow(r, s1, s2);
    for (int i = 0; i < V; ++i)
      for (int l = 0; l < 8; ++l) {
        sum1[8 * i + l] += s1.v[i][l];
        sum2[8 * i + l] += s2.v[i][l];
      }
  }
}

// std::max(v, 0) lane by lane (a NaN stays NaN).
inline Eight reluLanes(Eight v) {
  const Eight zero{};
  return v < zero ? zero : v;
}

// dy where reluY is positive, else 0 (all of dy without a fused ReLU).
template <int V>
Rows<V> maskedRows(const float* dy, const float* reluY, int64_t offset) {
  Rows<V> g = Rows<V>::load(dy + offset);
  if (reluY != nullptr) {
    const Rows<V> y = Rows<V>::load(reluY + offset);
    const Eight zero{};
    for (int i = 0; i < V; ++i) g.v[i] = y.v[i] > zero ? g.v[i] : zero;
  }
  return g;
}

// The forward and backward passes over rows, by channel count: in registers for 8*V channels.
template <int V>
struct VectorPasses {
  static void stats(int64_t rows, const float* x, const float* shift, std::vector<double>& sum, std::vector<double>& sumSq) {
    const Rows<V> sh = Rows<V>::load(shift);
    vectorSums<V>(rows, [&](int64_t r, Rows<V>& s1, Rows<V>& s2) {
      const Rows<V> in = Rows<V>::load(x + r * 8 * V);
      for (int i = 0; i < V; ++i) {
        const Eight d = in.v[i] - sh.v[i];
        s1.v[i] += d;
        s2.v[i] += d * d;
      }
    }, sum, sumSq);
  }
  static void normalize(int64_t rows, const float* x, const float* mean, const float* scale, const float* beta, float* y,
                        bool relu) {
    const Rows<V> m = Rows<V>::load(mean), k = Rows<V>::load(scale), b = Rows<V>::load(beta);
    for (int64_t r = 0; r < rows; ++r) {
      Rows<V> out = Rows<V>::load(x + r * 8 * V);
      for (int i = 0; i < V; ++i) {
        out.v[i] = (out.v[i] - m.v[i]) * k.v[i] + b.v[i];
        if (relu) out.v[i] = reluLanes(out.v[i]);
      }
      out.store(y + r * 8 * V);
    }
  }
  static void gradSums(int64_t rows, const float* dy, const float* reluY, const float* x, const float* mean,
                       std::vector<double>& sumDy, std::vector<double>& sumDyX) {
    const Rows<V> m = Rows<V>::load(mean);
    vectorSums<V>(rows, [&](int64_t r, Rows<V>& s1, Rows<V>& s2) {
      const Rows<V> g = maskedRows<V>(dy, reluY, r * 8 * V), in = Rows<V>::load(x + r * 8 * V);
      for (int i = 0; i < V; ++i) {
        s1.v[i] += g.v[i];
        s2.v[i] += g.v[i] * (in.v[i] - m.v[i]);
      }
    }, sumDy, sumDyX);
  }
  static void gradRows(int64_t rows, const float* dy, const float* reluY, const float* x, const float* mean,
                       const float* a, const float* b, const float* k, float* dx) {
    const Rows<V> m = Rows<V>::load(mean), ra = Rows<V>::load(a), rb = Rows<V>::load(b), rk = Rows<V>::load(k);
    for (int64_t r = 0; r < rows; ++r) {
      const Rows<V> g = maskedRows<V>(dy, reluY, r * 8 * V), in = Rows<V>::load(x + r * 8 * V);
      Rows<V> out;
      for (int i = 0; i < V; ++i) out.v[i] = ra.v[i] * g.v[i] + rb.v[i] * (in.v[i] - m.v[i]) + rk.v[i];
      out.store(dx + r * 8 * V);
    }
  }
};

// Calls f(VectorPasses<V>) for channels = 8*V, V = 1..8; false for other counts.
template <typename F>
bool withVectors(int32_t channels, F f) {
  switch (channels) {
    case 8: f(VectorPasses<1>{}); return true;
    case 16: f(VectorPasses<2>{}); return true;
    case 24: f(VectorPasses<3>{}); return true;
    case 32: f(VectorPasses<4>{}); return true;
    case 40: f(VectorPasses<5>{}); return true;
    case 48: f(VectorPasses<6>{}); return true;
    case 56: f(VectorPasses<7>{}); return true;
    case 64: f(VectorPasses<8>{}); return true;
    default: return false;
  }
}

}  // namespace

void batchNormForward(int64_t rows, int32_t channels, float eps, const float* x, const float* gamma,
                      const float* beta, float* y, float* mean, float* variance, bool relu) {
  // Shifted sums (by the first row) keep the one-pass variance accurate when |mean| >> std.
  std::vector<double> sum(channels, 0.0), sumSq(channels, 0.0);
  const float* shift = x;
  const bool vector = rows > 0 && withVectors(channels, [&](auto passes) { passes.stats(rows, x, shift, sum, sumSq); });
  if (!vector) {
    blockedSums(rows, channels, [&](int64_t r, float* s1, float* s2) {
      const float* row = x + r * channels;
      for (int32_t c = 0; c < channels; ++c) {
        const float d = row[c] - shift[c];
        s1[c] += d;
        s2[c] += d * d;
      }
    }, sum, sumSq);
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
  if (vector) {
    withVectors(channels, [&](auto passes) { passes.normalize(rows, x, mean, scale.data(), beta, y, relu); });
    return;
  }
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
  // dBeta = sum dy, dGamma = sum dy * xhat, with xhat = (x - mean) * inv. After a fused ReLU, the
  // BatchNorm's own dy is dy where the output is positive, else 0 (ReLU's gradient at 0 is 0, as
  // tf.relu's): the vector passes mask it as they read it; the others mask it into dx first, which
  // the last pass then overwrites row by row with the result (so no extra buffer).
  std::vector<double> sumDy(channels, 0.0), sumDyX(channels, 0.0);
  const bool vector = rows > 0 && withVectors(channels, [&](auto passes) { passes.gradSums(rows, dy, reluY, x, mean, sumDy, sumDyX); });
  if (!vector) {
    if (reluY != nullptr) {
      for (int64_t i = 0; i < rows * channels; ++i) dx[i] = reluY[i] > 0.0f ? dy[i] : 0.0f;
      dy = dx;
    }
    blockedSums(rows, channels, [&](int64_t r, float* s1, float* s2) {
      const float* g = dy + r * channels;
      const float* in = x + r * channels;
      for (int32_t c = 0; c < channels; ++c) {
        s1[c] += g[c];
        s2[c] += g[c] * (in[c] - mean[c]);
      }
    }, sumDy, sumDyX);
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
  if (vector) {
    withVectors(channels, [&](auto passes) { passes.gradRows(rows, dy, reluY, x, mean, a.data(), b.data(), k.data(), dx); });
    return;
  }
  for (int64_t r = 0; r < rows; ++r) {
    const float* g = dy + r * channels;
    const float* in = x + r * channels;
    float* out = dx + r * channels;
    for (int32_t c = 0; c < channels; ++c) out[c] = a[c] * g[c] + b[c] * (in[c] - mean[c]) + k[c];
  }
}

}  // namespace tsnas
