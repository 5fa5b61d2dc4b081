import * as tf from '@tensorflow/tfjs-core';
import { assertNHWC, assertShape, fittedConv, transpose, zeroStuff } from './geometry.js';
import { inputsOf, withScope } from './scope.js';

/**
 * Conv2DBackpropInput, replacing wasm's stock kernel (a scalar loop, ~10x a forward convolution).
 * dx is a forward convolution of dy, zero-stuffed by the stride, with the filter flipped in space and
 * its in/out channels swapped ([KH,KW,Co,Ci]), padded by KH-1-top before.
 * The stuffed convolution costs about a stride-1 convolution whatever the stride, while the stock
 * loop gets cheaper with it: with a stock kernel given, strides whose sh*sw exceeds `maxStuffedWork`
 * go to it (on wasm, stuffing still won at stride 3 and lost at stride 4), and so does NCHW.
 */
export function conv2dBackpropInputConfig(
  backendName: string,
  stock?: tf.KernelConfig,
  maxStuffedWork = Number.POSITIVE_INFINITY,
): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const { inputs, backend, attrs } = args;
    const { dy, filter } = inputsOf(tf.Conv2DBackpropInput, inputs, ['dy', 'filter']);
    const a = attrs as unknown as tf.Conv2DBackpropInputAttrs;
    if (stock !== undefined && a.dataFormat === 'NCHW') return stock.kernelFunc(args);
    assertNHWC(tf.Conv2DBackpropInput, a.dataFormat);
    const info = tf.backend_util.computeConv2DInfo(
      a.inputShape, filter.shape as [number, number, number, number], a.strides, 1, a.pad, a.dimRoundingMode, false);
    assertShape(tf.Conv2DBackpropInput, 'dy', dy.shape, info.outShape);
    const { strideHeight: sh, strideWidth: sw } = info;
    if (stock !== undefined && sh * sw > maxStuffedWork) return stock.kernelFunc(args);
    return withScope(backend as tf.KernelBackend, backendName, (s) => {
      const flipped = s.run(tf.Reverse, { x: filter }, { dims: [0, 1] });
      const f = transpose(s, flipped, [0, 1, 3, 2]);
      return fittedConv(s, zeroStuff(s, dy, [sh, sw]), f, {
        depthwise: false,
        strides: [1, 1],
        dilations: [1, 1],
        padTop: info.filterHeight - 1 - info.padInfo.top,
        padLeft: info.filterWidth - 1 - info.padInfo.left,
        outHeight: info.inHeight,
        outWidth: info.inWidth,
      });
    });
  };
  return { kernelName: tf.Conv2DBackpropInput, backendName, kernelFunc, setupFunc: stock?.setupFunc };
}
