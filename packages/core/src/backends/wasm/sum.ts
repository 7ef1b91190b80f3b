import * as tf from '@tensorflow/tfjs-core';
import { wasmKernel } from './kernelCalls.js';
import { simdKernelsFor } from './simdKernels.js';

/**
 * Sum over every axis but the last (bias gradients: dy [B, …, C] → [C]) as one pass of the WebAssembly SIMD
 * helper, rows in order; stock tfjs-wasm transposes the whole input first. Other reductions, other dtypes,
 * channel counts that are not a multiple of four, and engines without the helper go to the stock kernel.
 */
export function columnSumConfig(original: tf.KernelConfig): tf.KernelConfig {
  return wasmKernel('Sum', (args, wasm) => {
    const x = args.inputs.x as tf.TensorInfo;
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const rank = x.shape.length;
    const C = x.shape[rank - 1] ?? 0;
    if (x.dtype === 'float32' && rank >= 2 && C > 0 && C % 4 === 0) {
      const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
      const leading = axes.length === rank - 1 && axes.every((a, i) => a === i);
      const simd = leading ? simdKernelsFor(wasm.wasm) : null;
      if (simd) {
        const rows = tf.util.sizeFromShape(x.shape) / C;
        const out = wasm.makeOutput(keepDims ? [...x.shape.slice(0, -1).map(() => 1), C] : [C], 'float32');
        // Views after the allocation: growing the wasm memory detaches older views.
        const src = wasm.typedArrayFromHeap(x);
        const dst = wasm.typedArrayFromHeap(out);
        simd.colSum(src.byteOffset, dst.byteOffset, rows, C / 4);
        return out;
      }
    }
    return original.kernelFunc(args);
  });
}
