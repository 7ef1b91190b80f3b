import * as tf from '@tensorflow/tfjs-core';
import { ADAM_KERNEL, type AdamAttrs, adamConstants, adamRange } from '../../train/adamKernel.js';
import { wasmKernel } from './kernelCalls.js';
import { simdKernelsFor } from './simdKernels.js';

/**
 * The fused Adam update (inputs x, g, m, v float32 of one shape; attrs as `core/adam`; outputs [x′, m′, v′]): the
 * SIMD helper over the multiple-of-4 prefix, the typed-array loop over the rest (and everywhere without SIMD).
 */
export const adamConfig: tf.KernelConfig = wasmKernel(ADAM_KERNEL, ({ inputs, attrs }, wasm) => {
  const { x, g, m, v } = inputs as Record<string, tf.TensorInfo>;
  const n = tf.util.sizeFromShape(x!.shape);
  for (const [name, t] of Object.entries({ x, g, m, v }))
    if (t!.dtype !== 'float32' || tf.util.sizeFromShape(t!.shape) !== n)
      throw new TypeError(
        `${ADAM_KERNEL}: '${name}' must be float32 with ${n} values like x, got ${t!.dtype} [${t!.shape}]`,
      );
  const outs = [0, 1, 2].map(() => wasm.makeOutput([...x!.shape], 'float32'));
  // Views after the allocations: growing the wasm memory detaches older views.
  const view = (t: tf.TensorInfo) => wasm.typedArrayFromHeap(t) as Float32Array;
  const arrays = {
    x: view(x!),
    g: view(g!),
    m: view(m!),
    v: view(v!),
    xo: view(outs[0]!),
    mo: view(outs[1]!),
    vo: view(outs[2]!),
  };
  const a = attrs as unknown as AdamAttrs;
  const simd = simdKernelsFor(wasm.wasm);
  const n4 = simd ? n >> 2 : 0;
  if (simd && n4 > 0) {
    const at = (t: Float32Array) => t.byteOffset;
    simd.adamStep(
      at(arrays.x),
      at(arrays.g),
      at(arrays.m),
      at(arrays.v),
      at(arrays.xo),
      at(arrays.mo),
      at(arrays.vo),
      n4,
      ...adamConstants(a),
    );
  }
  adamRange(arrays, a, 4 * n4, n);
  return outs;
});
