import * as tf from '@tensorflow/tfjs-core';

/** Largest magnitude representable with `bits` signed levels: 2^(bits−1) − 1. */
function levels(bits: number): number {
  return 2 ** (bits - 1) - 1;
}

/**
 * Symmetric per-tensor fake quantisation with a straight-through gradient: `x` rounded to `bits`-bit signed
 * levels of `max|x| / (2^(bits−1) − 1)` in the forward pass, the identity in the backward pass (Bengio et
 * al. 2013). `bits ≥ 32` returns `x` unchanged.
 */
export function fakeQuantize(x: tf.Tensor, bits: number): tf.Tensor {
  if (bits >= 32) return x;
  if (!Number.isInteger(bits) || bits < 2)
    throw new RangeError(`fakeQuantize: bits must be an integer ≥ 2, got ${bits}`);
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const input = args[0] as tf.Tensor;
    const value = tf.tidy(() => {
      const scale = tf.div(tf.maximum(tf.max(tf.abs(input)), 1e-12), levels(bits));
      return tf.mul(tf.round(tf.div(input, scale)), scale);
    });
    return { value, gradFunc: (dy: tf.Tensor) => dy };
  });
  return op(x);
}

/** The same symmetric quantisation on host values (e.g. fixed adjacency weights). */
export function quantizeValues(values: Float32Array, bits: number): Float32Array {
  if (bits >= 32) return values;
  let m = 0;
  for (const v of values) m = Math.max(m, Math.abs(v));
  const scale = Math.max(m, 1e-12) / levels(bits);
  return Float32Array.from(values, (v) => Math.round(v / scale) * scale);
}
