import type * as tf from '@tensorflow/tfjs-core';

/** A tensor's values; the tensor is disposed. */
export function readAndDispose(t: tf.Tensor): Float32Array {
  const v = Float32Array.from(t.dataSync());
  t.dispose();
  return v;
}
