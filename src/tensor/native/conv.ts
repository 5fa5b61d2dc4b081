import * as tf from '@tensorflow/tfjs-core';
import { assertShape } from '../kernels/geometry.js';
import { inputsOf } from '../kernels/scope.js';
import type { NativeKernels } from './addon.js';
import { filled, heapViews, isWasmHeapBackend, type WasmHeapBackend } from '../kernels/heap.js';

type Shape4 = [number, number, number, number];

function geometry(info: tf.backend_util.Conv2DInfo): Int32Array {
  return Int32Array.of(
    info.batchSize, info.inHeight, info.inWidth, info.inChannels,
    info.filterHeight, info.filterWidth, info.outChannels, info.outHeight, info.outWidth,
    info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth,
    info.padInfo.top, info.padInfo.left);
}

/** NHWC float32 on the wasm heap is ours; anything else goes to the stock kernel (when there is one). */
function usable(backend: unknown, dataFormat: string | undefined, ...ts: tf.TensorInfo[]): boolean {
  return isWasmHeapBackend(backend) && (dataFormat === undefined || dataFormat === 'NHWC') &&
    ts.every((t) => t.dtype === 'float32');
}

function fallback(name: string, stock: tf.KernelConfig | undefined, args: Parameters<tf.KernelFunc>[0]) {
  if (stock === undefined) throw new Error(`tsnas ${name}: the native kernel needs NHWC float32 on the wasm backend`);
  return stock.kernelFunc(args);
}

/** The filter's input channels must be the input's: tf ops check it, direct runKernel calls do not. */
function assertChannels(kernelName: string, filterShape: readonly number[], inChannels: number): void {
  if (filterShape[2] !== inChannels) {
    throw new Error(`tsnas ${kernelName}: the filter has ${filterShape[2]} input channels, the input ${inChannels}`);
  }
}

type ConvFn = (geometry: Int32Array, a: Float32Array, b: Float32Array, out: Float32Array) => void;

interface ConvSpec {
  kernelName: string;
  inputs: readonly [string, string];
  /** The convolution's geometry from the kernel's inputs and attributes (throws on a bad shape). */
  info(a: tf.TensorInfo, b: tf.TensorInfo, attrs: tf.NamedAttrMap): tf.backend_util.Conv2DInfo;
  outShape(info: tf.backend_util.Conv2DInfo, attrs: tf.NamedAttrMap): number[];
  run: ConvFn;
}

function convConfig(spec: ConvSpec, backendName: string, stock: tf.KernelConfig | undefined): tf.KernelConfig {
  return {
    kernelName: spec.kernelName, backendName, setupFunc: stock?.setupFunc, disposeFunc: stock?.disposeFunc,
    kernelFunc: (args) => {
      const named = inputsOf(spec.kernelName, args.inputs, spec.inputs);
      const [a, b] = [named[spec.inputs[0]]!, named[spec.inputs[1]]!];
      const attrs = args.attrs ?? {};
      const dataFormat = (attrs as { dataFormat?: string }).dataFormat;
      if (!usable(args.backend, dataFormat, a, b)) return fallback(spec.kernelName, stock, args);
      const info = spec.info(a, b, attrs);
      const backend = args.backend as WasmHeapBackend;
      const { outputs, ins, outs } = heapViews(backend, [a, b], [spec.outShape(info, attrs)]);
      return filled(backend, outputs, () => spec.run(geometry(info), ins[0]!, ins[1]!, outs[0]!))[0]!;
    },
  };
}

/** Conv2D, Conv2DBackpropFilter and Conv2DBackpropInput as im2col + OpenBLAS sgemm on the wasm heap. */
export function nativeConvConfigs(native: NativeKernels, backendName: string, stock: (name: string) => tf.KernelConfig | undefined): tf.KernelConfig[] {
  const specs: ConvSpec[] = [
    {
      kernelName: tf.Conv2D, inputs: ['x', 'filter'], run: native.convForward,
      info: (x, filter, attrs) => {
        const a = attrs as unknown as tf.Conv2DAttrs;
        assertChannels(tf.Conv2D, filter.shape, x.shape[3]!);
        return tf.backend_util.computeConv2DInfo(x.shape as Shape4, filter.shape as Shape4, a.strides, a.dilations, a.pad,
          a.dimRoundingMode, false);
      },
      outShape: (info) => info.outShape,
    },
    {
      kernelName: tf.Conv2DBackpropFilter, inputs: ['x', 'dy'], run: native.convBackpropFilter,
      info: (x, dy, attrs) => {
        const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
        assertChannels(tf.Conv2DBackpropFilter, a.filterShape, x.shape[3]!);
        const info = tf.backend_util.computeConv2DInfo(x.shape as Shape4, a.filterShape, a.strides, 1, a.pad, a.dimRoundingMode, false);
        assertShape(tf.Conv2DBackpropFilter, 'dy', dy.shape, info.outShape);
        return info;
      },
      outShape: (_, attrs) => (attrs as unknown as tf.Conv2DBackpropFilterAttrs).filterShape,
    },
    {
      kernelName: tf.Conv2DBackpropInput, inputs: ['dy', 'filter'], run: native.convBackpropInput,
      info: (dy, filter, attrs) => {
        const a = attrs as unknown as tf.Conv2DBackpropInputAttrs;
        assertChannels(tf.Conv2DBackpropInput, filter.shape, a.inputShape[3]);
        const info = tf.backend_util.computeConv2DInfo(a.inputShape, filter.shape as Shape4, a.strides, 1, a.pad, a.dimRoundingMode, false);
        assertShape(tf.Conv2DBackpropInput, 'dy', dy.shape, info.outShape);
        return info;
      },
      outShape: (_, attrs) => (attrs as unknown as tf.Conv2DBackpropInputAttrs).inputShape,
    },
  ];
  return specs.map((spec) => convConfig(spec, backendName, stock(spec.kernelName)));
}
