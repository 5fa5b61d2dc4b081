import * as tf from '@tensorflow/tfjs-core';
import { assertNHWC, assertShape, fittedConv, transpose } from './geometry.js';
import { inputsOf, withScope } from './scope.js';

/**
 * Conv2DBackpropFilter (missing from tfjs-backend-wasm).
 *   dW[kh,kw,ci,co] = sum over n,oh,ow of x[n, oh*sh + kh - top, ow*sw + kw - left, ci] * dy[n,oh,ow,co]
 * is itself a forward convolution: treat x's channels as a batch ([Ci,H,W,N]) and dy as a filter
 * ([OH,OW,N,Co]) dilated by the forward stride; its KHxKW output, [Ci,KH,KW,Co], transposed, is dW.
 * This runs on the backend's fast (XNNPACK) Conv2D instead of a scalar loop.
 */
export function conv2dBackpropFilterConfig(backendName: string): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { x, dy } = inputsOf(tf.Conv2DBackpropFilter, inputs, ['x', 'dy']);
    const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    assertNHWC(tf.Conv2DBackpropFilter, a.dataFormat);
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number], a.filterShape, a.strides, 1, a.pad, a.dimRoundingMode, false);
    assertShape(tf.Conv2DBackpropFilter, 'dy', dy.shape, info.outShape);
    return withScope(backend as tf.KernelBackend, backendName, (s) => {
      const xT = transpose(s, x, [3, 1, 2, 0]);
      const dyT = transpose(s, dy, [1, 2, 0, 3]);
      const g = fittedConv(s, xT, dyT, {
        depthwise: false,
        strides: [1, 1],
        dilations: [info.strideHeight, info.strideWidth],
        padTop: info.padInfo.top,
        padLeft: info.padInfo.left,
        outHeight: info.filterHeight,
        outWidth: info.filterWidth,
      });
      return transpose(s, g, [1, 2, 0, 3]);
    });
  };
  return { kernelName: tf.Conv2DBackpropFilter, backendName, kernelFunc };
}
