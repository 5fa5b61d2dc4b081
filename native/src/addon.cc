// N-API bindings. Every tensor argument is a Float32Array (in tsnas, a view on the wasm backend's
// heap); geometry comes as an Int32Array. Shapes are checked against the arrays' lengths here, so a
// wrong call throws instead of reading or writing out of bounds.
#include <node_api.h>

#include <cblas.h>

#include <cstdint>
#include <string>

#include "adam.h"
#include "channels.h"
#include "conv-direct.h"
#include "conv.h"
#include "copy.h"
#include "depthwise.h"
#include "elementwise.h"
#include "loss.h"
#include "pool.h"
#include "reduce.h"
#include "upsample.h"

extern "C" void openblas_set_num_threads(int);
extern "C" int openblas_get_num_threads(void);
extern "C" char* openblas_get_config(void);

namespace {

struct Args {
  napi_env env;
  size_t count = 12;
  napi_value values[12];
  bool ok = true;

  Args(napi_env e, napi_callback_info info) : env(e) {
    napi_get_cb_info(env, info, &count, values, nullptr, nullptr);
  }

  bool fail(const std::string& message) {
    if (ok) napi_throw_type_error(env, nullptr, ("tsnas native: " + message).c_str());
    ok = false;
    return false;
  }

  template <typename T>
  T* array(size_t i, napi_typedarray_type want, size_t minLength, const char* name) {
    if (!ok) return nullptr;
    bool is = false;
    if (i >= count || napi_is_typedarray(env, values[i], &is) != napi_ok || !is) {
      fail(std::string(name) + " must be a typed array");
      return nullptr;
    }
    napi_typedarray_type type;
    size_t length = 0;
    void* data = nullptr;
    napi_get_typedarray_info(env, values[i], &type, &length, &data, nullptr, nullptr);
    if (type != want) {
      fail(std::string(name) + " has the wrong element type");
      return nullptr;
    }
    if (length < minLength) {
      fail(std::string(name) + " has " + std::to_string(length) + " elements, needs " + std::to_string(minLength));
      return nullptr;
    }
    return static_cast<T*>(data);
  }

  float* floats(size_t i, int64_t minLength, const char* name) {
    return array<float>(i, napi_float32_array, static_cast<size_t>(minLength), name);
  }

  const int32_t* ints(size_t i, size_t length, const char* name) {
    return array<int32_t>(i, napi_int32_array, length, name);
  }

  double number(size_t i, const char* name) {
    double v = 0;
    if (ok && (i >= count || napi_get_value_double(env, values[i], &v) != napi_ok)) fail(std::string(name) + " must be a number");
    return v;
  }
};

napi_value undefinedValue(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

// Sizes beyond these are no real network's, and keeping them small keeps every index computation of
// the kernels (e.g. oy * sh - padTop + ky * dh) far from int overflow.
constexpr int32_t kMaxSide = 1 << 16;

bool readConv(Args& a, tsnas::ConvGeometry& g) {
  const int32_t* v = a.ints(0, 15, "conv geometry");
  if (v == nullptr) return false;
  g = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14]};
  const int32_t all[] = {g.n, g.h, g.w, g.ci, g.kh, g.kw, g.co, g.oh, g.ow, g.sh, g.sw, g.dh, g.dw};
  for (int32_t d : all) {
    if (d <= 0 || d > kMaxSide) return a.fail("conv geometry has a size outside 1..65536");
  }
  if (g.padTop < 0 || g.padLeft < 0 || g.padTop > kMaxSide || g.padLeft > kMaxSide) {
    return a.fail("conv geometry has a padding outside 0..65536");
  }
  return true;
}

int64_t inputSize(const tsnas::ConvGeometry& g) { return int64_t{g.n} * g.h * g.w * g.ci; }
int64_t filterSize(const tsnas::ConvGeometry& g) { return int64_t{g.kh} * g.kw * g.ci * g.co; }
int64_t outputSize(const tsnas::ConvGeometry& g) { return int64_t{g.n} * g.oh * g.ow * g.co; }
// A depthwise filter [kh,kw,ci,M] holds kh*kw*co floats (co = ci*M).
int64_t depthwiseFilterSize(const tsnas::ConvGeometry& g) { return int64_t{g.kh} * g.kw * g.co; }

using ConvFn = void (*)(const tsnas::ConvGeometry&, const float*, const float*, float*);
using SizeFn = int64_t (*)(const tsnas::ConvGeometry&);

// The convolutions share one signature: (geometry, a, b, out), with the sizes each array needs. A
// depthwise one's output channels must be a multiple of its input channels.
template <ConvFn fn, SizeFn aSize, SizeFn bSize, SizeFn outSize, bool depthwise = false>
napi_value ConvOp(napi_env env, napi_callback_info info) {
  Args a(env, info);
  tsnas::ConvGeometry g;
  if (!readConv(a, g)) return nullptr;
  if (depthwise && g.co % g.ci != 0) return a.fail("depthwise geometry has output channels not a multiple of the input's"), nullptr;
  const float* in0 = a.floats(1, aSize(g), "first input");
  const float* in1 = a.floats(2, bSize(g), "second input");
  float* out = a.floats(3, outSize(g), "output");
  if (!a.ok) return nullptr;
  fn(g, in0, in1, out);
  return undefinedValue(env);
}

// Arguments 0 and 1 of the BatchNorm kernels: [rows, channels] and epsilon.
bool readRowsChannels(Args& a, int64_t& rows, int32_t& c, float& eps) {
  const int32_t* d = a.ints(0, 2, "shape");
  eps = static_cast<float>(a.number(1, "eps"));
  if (!a.ok) return false;
  rows = d[0];
  c = d[1];
  return rows > 0 && c > 0 ? true : a.fail("shape has a non-positive size");
}

// An optional argument: absent or undefined.
bool given(Args& a, size_t i) {
  if (i >= a.count) return false;
  napi_valuetype t;
  napi_typeof(a.env, a.values[i], &t);
  return t != napi_undefined;
}

// batchNormForward([rows, channels], eps, x, gamma, beta, y, mean, variance[, relu])
napi_value BatchNormForward(napi_env env, napi_callback_info info) {
  Args a(env, info);
  int64_t rows;
  int32_t c;
  float eps;
  if (!readRowsChannels(a, rows, c, eps)) return nullptr;
  const float* x = a.floats(2, rows * c, "x");
  const float* gamma = a.floats(3, c, "gamma");
  const float* beta = a.floats(4, c, "beta");
  float* y = a.floats(5, rows * c, "y");
  float* mean = a.floats(6, c, "mean");
  float* variance = a.floats(7, c, "variance");
  if (!a.ok) return nullptr;
  const bool relu = given(a, 8) && a.number(8, "relu") != 0;
  if (!a.ok) return nullptr;
  tsnas::batchNormForward(rows, c, eps, x, gamma, beta, y, mean, variance, relu);
  return undefinedValue(env);
}

// batchNormBackward([rows, channels], eps, dy, x, gamma, mean, variance, dx, dGamma, dBeta[, reluY]):
// reluY is the forward's output when it ran with relu.
napi_value BatchNormBackward(napi_env env, napi_callback_info info) {
  Args a(env, info);
  int64_t rows;
  int32_t c;
  float eps;
  if (!readRowsChannels(a, rows, c, eps)) return nullptr;
  const float* dy = a.floats(2, rows * c, "dy");
  const float* x = a.floats(3, rows * c, "x");
  const float* gamma = a.floats(4, c, "gamma");
  const float* mean = a.floats(5, c, "mean");
  const float* variance = a.floats(6, c, "variance");
  float* dx = a.floats(7, rows * c, "dx");
  float* dGamma = a.floats(8, c, "dGamma");
  float* dBeta = a.floats(9, c, "dBeta");
  if (!a.ok) return nullptr;
  const float* reluY = given(a, 10) ? a.floats(10, rows * c, "reluY") : nullptr;
  if (!a.ok) return nullptr;
  tsnas::batchNormBackward(rows, c, eps, dy, x, gamma, mean, variance, reluY, dx, dGamma, dBeta);
  return undefinedValue(env);
}

// Argument 0 of the pool kernels: [n,h,w,c, oh,ow, kh,kw, sh,sw, padTop,padLeft].
bool readPool(Args& a, tsnas::PoolGeometry& g) {
  const int32_t* v = a.ints(0, 12, "pool geometry");
  if (v == nullptr) return false;
  g = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]};
  const int32_t all[] = {g.n, g.h, g.w, g.c, g.oh, g.ow, g.kh, g.kw, g.sh, g.sw};
  for (int32_t d : all) {
    if (d <= 0 || d > kMaxSide) return a.fail("pool geometry has a size outside 1..65536");
  }
  if (g.padTop < 0 || g.padLeft < 0 || g.padTop > kMaxSide || g.padLeft > kMaxSide) {
    return a.fail("pool geometry has a padding outside 0..65536");
  }
  return true;
}

int64_t poolInputSize(const tsnas::PoolGeometry& g) { return int64_t{g.n} * g.h * g.w * g.c; }
int64_t poolOutputSize(const tsnas::PoolGeometry& g) { return int64_t{g.n} * g.oh * g.ow * g.c; }

// maxPoolGrad(geometry, x, dy, dx)
napi_value MaxPoolGrad(napi_env env, napi_callback_info info) {
  Args a(env, info);
  tsnas::PoolGeometry g;
  if (!readPool(a, g)) return nullptr;
  const float* x = a.floats(1, poolInputSize(g), "x");
  const float* dy = a.floats(2, poolOutputSize(g), "dy");
  float* dx = a.floats(3, poolInputSize(g), "dx");
  if (!a.ok) return nullptr;
  tsnas::maxPoolGrad(g, x, dy, dx);
  return undefinedValue(env);
}

// avgPoolGrad(geometry, dy, dx)
napi_value AvgPoolGrad(napi_env env, napi_callback_info info) {
  Args a(env, info);
  tsnas::PoolGeometry g;
  if (!readPool(a, g)) return nullptr;
  const float* dy = a.floats(1, poolOutputSize(g), "dy");
  float* dx = a.floats(2, poolInputSize(g), "dx");
  if (!a.ok) return nullptr;
  tsnas::avgPoolGrad(g, dy, dx);
  return undefinedValue(env);
}

// copyRuns(src, dst, [srcStart, srcStride, dstStart, dstStride, run, count]): 4-byte elements
// (a Float32Array view of an int32 tensor is fine: the copy is bitwise). Every run is bounds-checked.
napi_value CopyRuns(napi_env env, napi_callback_info info) {
  Args a(env, info);
  const int32_t* g = a.array<int32_t>(2, napi_int32_array, 6, "geometry");
  if (!a.ok) return nullptr;
  const int64_t srcStart = g[0], srcStride = g[1], dstStart = g[2], dstStride = g[3], run = g[4], count = g[5];
  if (srcStart < 0 || srcStride < 0 || dstStart < 0 || dstStride < 0 || run < 0 || count < 0) {
    a.fail("copyRuns geometry must be non-negative");
    return nullptr;
  }
  // The last run's end bounds every run (strides are non-negative).
  const auto end = [&](int64_t start, int64_t stride) { return count == 0 ? 0 : start + (count - 1) * stride + run; };
  const uint32_t* src = a.array<uint32_t>(0, napi_float32_array, static_cast<size_t>(end(srcStart, srcStride)), "src");
  uint32_t* dst = a.array<uint32_t>(1, napi_float32_array, static_cast<size_t>(end(dstStart, dstStride)), "dst");
  if (!a.ok) return nullptr;
  tsnas::copyRuns(src, srcStart, srcStride, dst, dstStart, dstStride, run, count);
  return undefinedValue(env);
}

// Length of a typed-array argument (0 when it is not one: the caller's check names it).
size_t lengthOf(Args& a, size_t i) {
  bool is = false;
  size_t length = 0;
  if (i < a.count && napi_is_typedarray(a.env, a.values[i], &is) == napi_ok && is) {
    napi_get_typedarray_info(a.env, a.values[i], nullptr, &length, nullptr, nullptr, nullptr);
  }
  return length;
}

// binaryRuns(op, a, b, out): op 0 add, 1 multiply; out[i] = a[i] op b[i % b.length], where b's
// length divides a's and out holds a's.
napi_value BinaryRuns(napi_env env, napi_callback_info info) {
  Args a(env, info);
  const double op = a.number(0, "op");
  if (a.ok && op != 0 && op != 1) a.fail("binaryRuns op must be 0 (add) or 1 (multiply)");
  const int64_t na = static_cast<int64_t>(lengthOf(a, 1));
  const int64_t nb = static_cast<int64_t>(lengthOf(a, 2));
  if (a.ok && (nb == 0 || na % nb != 0)) a.fail("binaryRuns needs b's length to divide a's, got " + std::to_string(na) + " and " + std::to_string(nb));
  const float* x = a.floats(1, na, "a");
  const float* y = a.floats(2, nb, "b");
  float* out = a.floats(3, na, "out");
  if (!a.ok) return nullptr;
  tsnas::binaryRuns(static_cast<tsnas::BinaryOp>(static_cast<int32_t>(op)), x, na, y, nb, out);
  return undefinedValue(env);
}

// sumAxes(x, [outer, reduced, inner], out): out[a, b] = the sum over r of x[a, r, b].
napi_value SumAxes(napi_env env, napi_callback_info info) {
  Args a(env, info);
  const int32_t* g = a.ints(1, 3, "shape");
  if (!a.ok) return nullptr;
  const int64_t outer = g[0], reduced = g[1], inner = g[2];
  if (outer < 0 || reduced < 0 || inner < 0) return a.fail("sumAxes shape must be non-negative"), nullptr;
  const float* x = a.floats(0, outer * reduced * inner, "x");
  float* out = a.floats(2, outer * inner, "out");
  if (!a.ok) return nullptr;
  tsnas::sumAxes(x, outer, reduced, inner, out);
  return undefinedValue(env);
}

// reluGrad(x, dy, dx): dx = dy * step(x), all of x's length.
napi_value ReluGrad(napi_env env, napi_callback_info info) {
  Args a(env, info);
  const int64_t n = static_cast<int64_t>(lengthOf(a, 0));
  const float* x = a.floats(0, n, "x");
  const float* dy = a.floats(1, n, "dy");
  float* dx = a.floats(2, n, "dx");
  if (!a.ok) return nullptr;
  tsnas::reluGrad(x, dy, n, dx);
  return undefinedValue(env);
}

// Arguments 0-4 of the focal-loss kernels: [rows, classes], logits, labels, alpha, gamma.
struct FocalArgs {
  int64_t rows = 0;
  int32_t classes = 0;
  const float* logits = nullptr;
  const int32_t* labels = nullptr;
  float alpha = 0, gamma = 0;
};

bool readFocal(Args& a, FocalArgs& f) {
  const int32_t* d = a.ints(0, 2, "shape");
  if (!a.ok) return false;
  f.rows = d[0];
  f.classes = d[1];
  if (f.rows <= 0 || f.classes <= 0) return a.fail("shape has a non-positive size");
  f.logits = a.floats(1, f.rows * f.classes, "logits");
  f.labels = a.ints(2, static_cast<size_t>(f.rows), "labels");
  f.alpha = static_cast<float>(a.number(3, "alpha"));
  f.gamma = static_cast<float>(a.number(4, "gamma"));
  if (!a.ok) return false;
  for (int64_t r = 0; r < f.rows; ++r) {
    if (f.labels[r] < -2 || f.labels[r] >= f.classes) return a.fail("a label is outside -2..classes-1");
  }
  return true;
}

// sigmoidFocalLoss([rows, classes], logits, labels, alpha, gamma, dLogits) -> the loss sum
napi_value SigmoidFocalLoss(napi_env env, napi_callback_info info) {
  Args a(env, info);
  FocalArgs f;
  if (!readFocal(a, f)) return nullptr;
  float* d = a.floats(5, f.rows * f.classes, "dLogits");
  if (!a.ok) return nullptr;
  napi_value v;
  napi_create_double(env, tsnas::sigmoidFocalLoss(f.rows, f.classes, f.logits, f.labels, f.alpha, f.gamma, d), &v);
  return v;
}

// adamUpdate(hyper [lr, beta1, beta2, epsilon, correction1, correction2], x, g, m, v, x1, m1, v1);
// every array has x's length.
napi_value AdamUpdate(napi_env env, napi_callback_info info) {
  Args a(env, info);
  const float* hp = a.floats(0, 6, "hyper");
  const float* x = a.floats(1, 0, "x");
  if (!a.ok) return nullptr;
  size_t n = 0;
  napi_get_typedarray_info(env, a.values[1], nullptr, &n, nullptr, nullptr, nullptr);
  const auto len = static_cast<int64_t>(n);
  const float* g = a.floats(2, len, "g");
  const float* m = a.floats(3, len, "m");
  const float* v = a.floats(4, len, "v");
  float* x1 = a.floats(5, len, "x1");
  float* m1 = a.floats(6, len, "m1");
  float* v1 = a.floats(7, len, "v1");
  if (!a.ok) return nullptr;
  tsnas::adamUpdate(len, {hp[0], hp[1], hp[2], hp[3], hp[4], hp[5]}, x, g, m, v, x1, m1, v1);
  return undefinedValue(env);
}

// upsampleNearest([n, h, w, c, factor], x, y) and upsampleNearestGrad([n, h, w, c, factor], dy, dx):
// x and dx are [n, h, w, c], y and dy [n, h*factor, w*factor, c].
template <bool grad>
napi_value UpsampleNearestOp(napi_env env, napi_callback_info info) {
  Args a(env, info);
  const int32_t* v = a.ints(0, 5, "upsample geometry");
  if (!a.ok) return nullptr;
  for (int i = 0; i < 5; ++i) {
    if (v[i] <= 0 || v[i] > kMaxSide) return a.fail("upsample geometry has a size outside 1..65536"), nullptr;
  }
  if (int64_t{v[1]} * v[4] > kMaxSide || int64_t{v[2]} * v[4] > kMaxSide) return a.fail("upsampled map is over 65536 a side"), nullptr;
  const int64_t small = int64_t{v[0]} * v[1] * v[2] * v[3];
  const int64_t big = small * v[4] * v[4];
  const float* in = a.floats(1, grad ? big : small, grad ? "dy" : "x");
  float* out = a.floats(2, grad ? small : big, grad ? "dx" : "y");
  if (!a.ok) return nullptr;
  (grad ? tsnas::upsampleNearestGrad : tsnas::upsampleNearest)(v[0], v[1], v[2], v[3], v[4], in, out);
  return undefinedValue(env);
}

// directConv(on): turns conv-direct.h's kernels on or off for this thread; returns whether they are used.
napi_value DirectConv(napi_env env, napi_callback_info info) {
  Args a(env, info);
  bool on = false;
  if (a.count < 1 || napi_get_value_bool(env, a.values[0], &on) != napi_ok) return a.fail("directConv takes a boolean"), nullptr;
  napi_value v;
  napi_get_boolean(env, tsnas::useDirectConv(on), &v);
  return v;
}

napi_value BlasInfo(napi_env env, napi_callback_info) {
  std::string s = std::string(openblas_get_config()) + "; threads " + std::to_string(openblas_get_num_threads());
  napi_value v;
  napi_create_string_utf8(env, s.c_str(), s.size(), &v);
  return v;
}

napi_value Init(napi_env env, napi_value exports) {
  // One BLAS thread per caller by default: tsnas parallelises across Piscina workers, not inside a gemm.
  openblas_set_num_threads(1);
  const napi_property_descriptor props[] = {
      // convForward(geometry, x, filter, y)
      {"convForward", nullptr, ConvOp<tsnas::convForward, inputSize, filterSize, outputSize>, nullptr, nullptr, nullptr, napi_default, nullptr},
      // convBackpropFilter(geometry, x, dy, dFilter)
      {"convBackpropFilter", nullptr, ConvOp<tsnas::convBackpropFilter, inputSize, outputSize, filterSize>, nullptr, nullptr, nullptr, napi_default, nullptr},
      // convBackpropInput(geometry, dy, filter, dx)
      {"convBackpropInput", nullptr, ConvOp<tsnas::convBackpropInput, outputSize, filterSize, inputSize>, nullptr, nullptr, nullptr, napi_default, nullptr},
      // depthwiseForward(geometry, x, filter, y), geometry's co = ci * M
      {"depthwiseForward", nullptr, ConvOp<tsnas::depthwiseForward, inputSize, depthwiseFilterSize, outputSize, true>, nullptr, nullptr, nullptr, napi_default, nullptr},
      // depthwiseBackpropFilter(geometry, x, dy, dFilter)
      {"depthwiseBackpropFilter", nullptr, ConvOp<tsnas::depthwiseBackpropFilter, inputSize, outputSize, depthwiseFilterSize, true>, nullptr, nullptr, nullptr, napi_default, nullptr},
      // depthwiseBackpropInput(geometry, dy, filter, dx)
      {"depthwiseBackpropInput", nullptr, ConvOp<tsnas::depthwiseBackpropInput, outputSize, depthwiseFilterSize, inputSize, true>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchNormForward", nullptr, BatchNormForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchNormBackward", nullptr, BatchNormBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sigmoidFocalLoss", nullptr, SigmoidFocalLoss, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"adamUpdate", nullptr, AdamUpdate, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPoolGrad", nullptr, MaxPoolGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"avgPoolGrad", nullptr, AvgPoolGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"copyRuns", nullptr, CopyRuns, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"binaryRuns", nullptr, BinaryRuns, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"reluGrad", nullptr, ReluGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sumAxes", nullptr, SumAxes, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"upsampleNearest", nullptr, UpsampleNearestOp<false>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"upsampleNearestGrad", nullptr, UpsampleNearestOp<true>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"directConv", nullptr, DirectConv, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"blasInfo", nullptr, BlasInfo, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace

NAPI_MODULE_INIT() { return Init(env, exports); }
