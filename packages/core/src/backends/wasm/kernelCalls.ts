import * as tf from '@tensorflow/tfjs-core';

/** The slice of tfjs-backend-wasm's backend object the patches use. */
export interface WasmBackendLike {
  readSync(dataId: tf.DataId): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
  /** One more reference to a buffer (outputs that share their input's buffer). */
  incRef(dataId: tf.DataId): void;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  /** The emscripten module (its memory is what {@link simdKernelsFor} binds to). */
  wasm?: unknown;
}

/** The arguments tfjs passes a kernel function. */
export type KernelArgs = Parameters<tf.KernelFunc>[0];

/** A kernel config for the wasm backend whose function also receives the backend as {@link WasmBackendLike}. */
export function wasmKernel(
  kernelName: string,
  run: (args: KernelArgs, wasm: WasmBackendLike) => tf.TensorInfo | tf.TensorInfo[],
): tf.KernelConfig {
  return {
    kernelName,
    backendName: 'wasm',
    kernelFunc: (args) => run(args, args.backend as unknown as WasmBackendLike),
  };
}

/** Calls another wasm kernel directly (no engine round trip, no tape). */
export function callWasm(
  name: string,
  backend: WasmBackendLike,
  inputs: Record<string, tf.TensorInfo>,
  attrs: Record<string, unknown> = {},
): tf.TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`wasm kernel '${name}' is not registered`);
  const out = kernel.kernelFunc({
    inputs: inputs as tf.NamedTensorInfoMap,
    backend: backend as unknown as tf.KernelBackend,
    attrs: attrs as tf.NamedAttrMap,
  });
  return Array.isArray(out) ? out[0]! : out;
}

/** Releases an intermediate result created inside a kernel. */
export function release(backend: WasmBackendLike, info: tf.TensorInfo): void {
  backend.disposeData(info.dataId);
}

/** Transpose of the last two axes. */
export function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 1] = rank - 2;
  perm[rank - 2] = rank - 1;
  return perm;
}
