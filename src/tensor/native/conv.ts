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

/** The attributes the three kernels of a convolution family read (tfjs's, with each kernel's own shape). */
interface ConvAttrs {
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  /** Absent from tfjs's gradient kernels' attributes of a dense conv: 1. */
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape?: Shape4;
  inputShape?: Shape4;
}

/** A convolution, its two gradients and their native loops: dense (Conv2D) or depthwise. */
interface ConvFamily {
  depthwise: boolean;
  names: { forward: string; backpropFilter: string; backpropInput: string };
  run: { forward: ConvFn; backpropFilter: ConvFn; backpropInput: ConvFn };
}

/** The three kernels' specs: each checks the filter's channels (and dy's shape) before its geometry is used. */
function familySpecs(f: ConvFamily): ConvSpec[] {
  const info = (name: string, input: readonly number[], filter: readonly number[], attrs: tf.NamedAttrMap, dy?: tf.TensorInfo) => {
    const a = attrs as unknown as ConvAttrs;
    assertChannels(name, filter, input[3]!);
    const conv = tf.backend_util.computeConv2DInfo(input as Shape4, filter as Shape4, a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode, f.depthwise);
    if (dy !== undefined) assertShape(name, 'dy', dy.shape, conv.outShape);
    return conv;
  };
  const attr = (attrs: tf.NamedAttrMap, key: 'filterShape' | 'inputShape') => (attrs as unknown as ConvAttrs)[key]!;
  const { names, run } = f;
  return [
    {
      kernelName: names.forward, inputs: ['x', 'filter'], run: run.forward,
      info: (x, filter, attrs) => info(names.forward, x.shape, filter.shape, attrs),
      outShape: (conv) => conv.outShape,
    },
    {
      kernelName: names.backpropFilter, inputs: ['x', 'dy'], run: run.backpropFilter,
      info: (x, dy, attrs) => info(names.backpropFilter, x.shape, attr(attrs, 'filterShape'), attrs, dy),
      outShape: (_, attrs) => attr(attrs, 'filterShape'),
    },
    {
      kernelName: names.backpropInput, inputs: ['dy', 'filter'], run: run.backpropInput,
      info: (dy, filter, attrs) => info(names.backpropInput, attr(attrs, 'inputShape'), filter.shape, attrs, dy),
      outShape: (_, attrs) => attr(attrs, 'inputShape'),
    },
  ];
}

type Stock = (name: string) => tf.KernelConfig | undefined;

/** Conv2D, Conv2DBackpropFilter and Conv2DBackpropInput as im2col + OpenBLAS sgemm on the wasm heap. */
export function nativeConvConfigs(native: NativeKernels, backendName: string, stock: Stock): tf.KernelConfig[] {
  const specs = familySpecs({
    depthwise: false,
    names: { forward: tf.Conv2D, backpropFilter: tf.Conv2DBackpropFilter, backpropInput: tf.Conv2DBackpropInput },
    run: { forward: native.convForward, backpropFilter: native.convBackpropFilter, backpropInput: native.convBackpropInput },
  });
  return specs.map((spec) => convConfig(spec, backendName, stock(spec.kernelName)));
}

/**
 * The depthwise convolution's gradients, and with `forward` the convolution itself, as direct loops
 * (native/src/depthwise.cc) on the wasm heap. They replace the wasm composites of
 * kernels/depthwise-backprop-*.ts, which reduce each gradient to a big-kernel depthwise conv that
 * XNNPACK runs slowly, and XNNPACK's forward conv, slow on NASNet's 5x5 and 7x7 kernels.
 */
export function nativeDepthwiseConfigs(native: NativeKernels, backendName: string, stock: Stock, forward: boolean): tf.KernelConfig[] {
  const specs = familySpecs({
    depthwise: true,
    names: { forward: tf.DepthwiseConv2dNative, backpropFilter: tf.DepthwiseConv2dNativeBackpropFilter, backpropInput: tf.DepthwiseConv2dNativeBackpropInput },
    run: { forward: native.depthwiseForward, backpropFilter: native.depthwiseBackpropFilter, backpropInput: native.depthwiseBackpropInput },
  });
  return specs.filter((spec) => forward || spec.kernelName !== tf.DepthwiseConv2dNative)
    .map((spec) => convConfig(spec, backendName, stock(spec.kernelName)));
}
