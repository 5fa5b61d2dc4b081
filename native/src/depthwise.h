// NHWC depthwise convolutions as direct loops with the channel axis innermost (vectorised by the
// compiler): NASNet's separable convs have few channels and big kernels, where neither im2col + gemm
// nor XNNPACK's big-kernel depthwise path (which the wasm composites reduce the gradients to) is fast.
#pragma once
#include "conv.h"

namespace tsnas {

// The geometry is a ConvGeometry whose co is ci * M (M, the channel multiplier, divides co); the
// filter is [kh,kw,ci,M], i.e. kh*kw*co floats with output channel c*M+m at offset c*M+m of a tap.

// y = depthwiseConv(x, filter).
void depthwiseForward(const ConvGeometry& g, const float* x, const float* filter, float* y);
// dFilter[ky,kx,c*M+m] = sum over n,oy,ox of x[n, iy, ix, c] * dy[n, oy, ox, c*M+m].
void depthwiseBackpropFilter(const ConvGeometry& g, const float* x, const float* dy, float* dFilter);
// dx[n, iy, ix, c] = sum over the taps reading it and m of dy[n, oy, ox, c*M+m] * filter[ky,kx,c*M+m].
void depthwiseBackpropInput(const ConvGeometry& g, const float* dy, const float* filter, float* dx);

}  // namespace tsnas
