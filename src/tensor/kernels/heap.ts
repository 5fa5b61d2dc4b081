import type * as tf from '@tensorflow/tfjs-core';

/** The parts of tfjs-backend-wasm's BackendWasm that kernels writing the heap directly use. */
export interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  disposeData(dataId: tf.DataId): boolean;
  typedArrayFromHeap(info: tf.TensorInfo): tf.TypedArray;
}

export function isWasmHeapBackend(b: unknown): b is WasmHeapBackend {
  const o = b as Partial<WasmHeapBackend>;
  return typeof o.makeOutput === 'function' && typeof o.typedArrayFromHeap === 'function' && typeof o.disposeData === 'function';
}

/**
 * Allocates `shapes` as outputs (of `dtype`), then returns typed-array views of `inputs` and outputs on the heap.
 * Allocation can grow (and so move) the heap, which detaches earlier views: every view is taken
 * after the last allocation, and no tfjs call may run while they are in use.
 */
export function heapViews<T extends tf.TypedArray = Float32Array>(backend: WasmHeapBackend, inputs: tf.TensorInfo[],
  shapes: number[][], dtype: tf.DataType = 'float32'): {
  outputs: tf.TensorInfo[];
  ins: T[];
  outs: T[];
} {
  const outputs = shapes.map((shape) => backend.makeOutput(shape, dtype));
  const view = (t: tf.TensorInfo) => backend.typedArrayFromHeap(t) as T;
  return { outputs, ins: inputs.map(view), outs: outputs.map(view) };
}

/**
 * Runs `fill` (which writes the outputs through the views) and returns the outputs; if it throws (a
 * native argument check, say), the outputs are freed first, so a rejected call leaks nothing.
 */
export function filled(backend: WasmHeapBackend, outputs: tf.TensorInfo[], fill: () => void): tf.TensorInfo[] {
  try {
    fill();
  } catch (e) {
    for (const o of outputs) backend.disposeData(o.dataId);
    throw e;
  }
  return outputs;
}
