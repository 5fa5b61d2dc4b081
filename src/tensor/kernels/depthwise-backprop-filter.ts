import * as tf from '@tensorflow/tfjs-core';
import { assertShape, fittedConv, pair, transpose } from './geometry.js';
import { inputsOf, withScope } from './scope.js';

/**
 * DepthwiseConv2dNativeBackpropFilter (missing from tfjs-backend-wasm).
 *   dW[kh,kw,ci,m] = sum over n,oh,ow of x[n, oh*sh + kh*dh - top, .., ci] * dy[n,oh,ow,ci*M+m]
 * Folding the batch into channels makes this one depthwise convolution: input x as [1,H,W,N*Ci],
 * filter dy as [OH,OW,N*Ci,M] dilated by the forward stride, stepped by the forward dilation. Its
 * [1,KH,KW,N*Ci*M] output summed over n is dW. Its cost is that of the big-kernel depthwise conv, which
 * XNNPACK runs at a fraction of its usual speed (~6x a forward depthwise conv at 32x32x32, batch 32);
 * patches-by-one-hot-conv plus a BatchMatMul was tried and was slower still.
 */
export function depthwiseBackpropFilterConfig(backendName: string): tf.KernelConfig {
  const name = tf.DepthwiseConv2dNativeBackpropFilter;
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { x, dy } = inputsOf(name, inputs, ['x', 'dy']);
    const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
    const [kh, kw, ci, m] = a.filterShape;
    const [n, h, w] = x.shape as [number, number, number, number];
    const dilations = pair(a.dilations);
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number], a.filterShape, a.strides, dilations, a.pad, a.dimRoundingMode, true);
    assertShape(name, 'dy', dy.shape, info.outShape);
    const { outHeight: oh, outWidth: ow } = info;
    return withScope(backend as tf.KernelBackend, backendName, (s) => {
      const xT = transpose(s, x, [1, 2, 0, 3]);
      const xB = s.run(tf.Reshape, { x: xT }, { shape: [1, h, w, n * ci] });
      const dyT = transpose(s, dy, [1, 2, 0, 3]);
      const f = s.run(tf.Reshape, { x: dyT }, { shape: [oh, ow, n * ci, m] });
      const g = fittedConv(s, xB, f, {
        depthwise: true,
        strides: dilations,
        dilations: [info.strideHeight, info.strideWidth],
        padTop: info.padInfo.top,
        padLeft: info.padInfo.left,
        outHeight: kh,
        outWidth: kw,
      });
      const perImage = s.run(tf.Reshape, { x: g }, { shape: [kh, kw, n, ci * m] });
      const sum = s.run(tf.Sum, { x: perImage }, { axis: [2], keepDims: false });
      return s.run(tf.Reshape, { x: sum }, { shape: [kh, kw, ci, m] });
    });
  };
  return { kernelName: name, backendName, kernelFunc };
}
