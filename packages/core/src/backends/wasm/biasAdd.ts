import * as tf from '@tensorflow/tfjs-core';
import { wasmKernel } from './kernelCalls.js';
import { simdKernelsFor } from './simdKernels.js';

/**
 * Add of a float32 tensor [..., C] and a bias [C] (dense and conv layers' bias, either operand order) as one
 * SIMD pass; stock tfjs-wasm's broadcasting add was ~10× slower than a plain elementwise one. Any other
 * broadcast, dtype, or C not a multiple of four goes to the stock kernel.
 */
export function biasAddConfig(original: tf.KernelConfig): tf.KernelConfig {
  return wasmKernel('Add', (args, wasm) => {
    let x = args.inputs.a as tf.TensorInfo;
    let bias = args.inputs.b as tf.TensorInfo;
    if (bias.shape.length > x.shape.length) [x, bias] = [bias, x];
    const rank = x.shape.length;
    const C = x.shape[rank - 1] ?? 0;
    const plain =
      x.dtype === 'float32' &&
      bias.dtype === 'float32' &&
      rank >= 2 &&
      bias.shape.length === 1 &&
      bias.shape[0] === C &&
      C > 0 &&
      C % 4 === 0;
    const simd = plain ? simdKernelsFor(wasm.wasm) : null;
    if (!simd) return original.kernelFunc(args);
    const out = wasm.makeOutput([...x.shape], 'float32');
    // Addresses after the allocation (growing the wasm memory detaches older views).
    const at = (t: tf.TensorInfo) => wasm.typedArrayFromHeap(t).byteOffset;
    simd.addRows(at(x), at(bias), at(out), tf.util.sizeFromShape(x.shape) / C, C / 4);
    return out;
  });
}
