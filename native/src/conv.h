// NHWC convolutions on buffers owned by the caller (the wasm heap): direct register tiles where they fit
// (conv-direct.h), im2col + OpenBLAS sgemm otherwise.
#pragma once
#include <cstdint>

namespace tsnas {

// Geometry of one 2-D convolution, NHWC input [n,h,w,ci], filter [kh,kw,ci,co], output [n,oh,ow,co].
struct ConvGeometry {
  int32_t n, h, w, ci, kh, kw, co, oh, ow, sh, sw, dh, dw, padTop, padLeft;
};

// y = conv(x, filter).
void convForward(const ConvGeometry& g, const float* x, const float* filter, float* y);
// dFilter = sum over the batch of im2col(x)^T dy.
void convBackpropFilter(const ConvGeometry& g, const float* x, const float* dy, float* dFilter);
// dx = col2im(dy filter^T).
void convBackpropInput(const ConvGeometry& g, const float* dy, const float* filter, float* dx);

}  // namespace tsnas
