import type * as tf from '@tensorflow/tfjs-core';
import { wasmKernel } from './kernelCalls.js';

/**
 * Identity (tf.clone, and casts to the same dtype, e.g. in every ReLU gradient) sharing the input's buffer, as
 * the cpu and webgl backends do: tensors are immutable and buffers reference-counted, so the stock wasm
 * kernel's copy of the whole tensor buys nothing. Strings keep the stock kernel.
 */
export function zeroCopyIdentityConfig(original: tf.KernelConfig): tf.KernelConfig {
  return wasmKernel('Identity', (args, wasm) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === 'string') return original.kernelFunc(args);
    wasm.incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  });
}

/** Cast to the input's own dtype (every ReLU gradient casts its float32 mask) shares the buffer too. */
export function zeroCopyCastConfig(original: tf.KernelConfig): tf.KernelConfig {
  return wasmKernel('Cast', (args, wasm) => {
    const x = args.inputs.x as tf.TensorInfo;
    const { dtype } = args.attrs as unknown as { dtype: tf.DataType };
    if (dtype !== x.dtype || x.dtype === 'string') return original.kernelFunc(args);
    wasm.incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  });
}
