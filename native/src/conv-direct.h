// Direct NHWC convolutions: register tiles over output pixels and channels that read the (zero-padded)
// input in place, with no column matrix. For output channels in multiples of 8 on maps at least 8
// wide, compiled for AVX-512 (a tile's sums fill most of its 32 vector registers) or, with smaller tiles, AVX2 + FMA.
#pragma once
#include "conv.h"

namespace tsnas {

// Whether the direct kernels take g: otherwise conv.cc's im2col + sgemm does.
bool directConvFits(const ConvGeometry& g);
// Turns the direct kernels on or off for the calling thread (on by default; A/B benchmarks turn
// them off); returns whether they are in use, false in a build for a CPU with neither.
bool useDirectConv(bool on);
// y = conv(x, filter).
void directConvForward(const ConvGeometry& g, const float* x, const float* filter, float* y);
// Floats between adjacent output pixels, rows and images: an output laid out inside a larger map.
struct OutputStrides {
  int64_t pixel, row, image;
};
// y = conv(x, filter) written with those strides (the pixel stride at least co).
void directConvForwardInto(const ConvGeometry& g, const float* x, const float* filter, float* y, const OutputStrides& out);
// dFilter = the sum over the batch's output pixels of patch(x)^T dy.
void directConvBackpropFilter(const ConvGeometry& g, const float* x, const float* dy, float* dFilter);

}  // namespace tsnas
