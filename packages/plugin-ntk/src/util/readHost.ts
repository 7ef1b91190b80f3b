import type * as tf from '@tensorflow/tfjs-core';

/** Reads a tensor's values to the host as Float64 and disposes the tensor. */
export function readHost(t: tf.Tensor): Float64Array {
  const v = Float64Array.from(t.dataSync());
  t.dispose();
  return v;
}
