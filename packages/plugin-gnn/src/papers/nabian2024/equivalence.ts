import type * as tf from '@tensorflow/tfjs-core';

/** max |a − b| / max |b|: the worst element's error relative to the largest reference value. */
export function maxRel(a: Float64Array, b: Float64Array): number {
  let d = 0;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
    m = Math.max(m, Math.abs(b[i]!));
  }
  return d / m;
}

/** The tensors' values, read back and concatenated in order (float64). */
export function flat(ts: tf.Tensor[]): Float64Array {
  return Float64Array.from(ts.flatMap((t) => Array.from(t.dataSync())));
}

/** ‖a − b‖ / ‖b‖ (Euclidean). */
export function relErr(a: Float64Array, b: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / den);
}
