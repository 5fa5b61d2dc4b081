import * as tf from '@tensorflow/tfjs-core';
import { assertShape, fittedConv, pair, zeroStuff } from './geometry.js';
import { inputsOf, withScope } from './scope.js';

/**
 * DepthwiseConv2dNativeBackpropInput (missing from tfjs-backend-wasm).
 * Channel ci of dx collects the M output channels ci*M..ci*M+M-1 of dy, each convolved with its
 * flipped filter tap. That is one depthwise convolution of the zero-stuffed dy (Ci*M channels,
 * multiplier 1) with the flipped filter reshaped to [KH,KW,Ci*M,1], then, when M > 1, a sum over
 * groups of M adjacent channels.
 */
export function depthwiseBackpropInputConfig(backendName: string): tf.KernelConfig {
  const name = tf.DepthwiseConv2dNativeBackpropInput;
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputsOf(name, inputs, ['dy', 'filter']);
    const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
    const [kh, kw, ci, m] = filter.shape as [number, number, number, number];
    const dilations = pair(a.dilations);
    const info = tf.backend_util.computeConv2DInfo(
      a.inputShape, [kh, kw, ci, m], a.strides, dilations, a.pad, a.dimRoundingMode, true);
    assertShape(name, 'dy', dy.shape, info.outShape);
    return withScope(backend as tf.KernelBackend, backendName, (s) => {
      const flipped = s.run(tf.Reverse, { x: filter }, { dims: [0, 1] });
      const f = s.run(tf.Reshape, { x: flipped }, { shape: [kh, kw, ci * m, 1] });
      const dxAll = fittedConv(s, zeroStuff(s, dy, [info.strideHeight, info.strideWidth]), f, {
        depthwise: true,
        strides: [1, 1],
        dilations,
        padTop: info.effectiveFilterHeight - 1 - info.padInfo.top,
        padLeft: info.effectiveFilterWidth - 1 - info.padInfo.left,
        outHeight: info.inHeight,
        outWidth: info.inWidth,
      });
      if (m === 1) return dxAll;
      const [n, h, w] = a.inputShape;
      const grouped = s.run(tf.Reshape, { x: dxAll }, { shape: [n, h, w, ci, m] });
      return s.run(tf.Sum, { x: grouped }, { axis: [4], keepDims: false });
    });
  };
  return { kernelName: name, backendName, kernelFunc };
}
