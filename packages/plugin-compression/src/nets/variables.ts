import type { Rng } from '@paperlab/core';
import * as tf from '@tensorflow/tfjs-core';

/** A variable holding `t`'s values; `t` itself is disposed (so building a model leaks nothing). */
export function variableOf(t: tf.Tensor): tf.Variable {
  const v = tf.variable(t);
  t.dispose();
  return v;
}

/** A [rows, cols] weight variable with N(0, 1/fanIn) entries drawn from `rng`. */
export function normalVariable(shape: [number, number], fanIn: number, rng: Rng): tf.Variable {
  return variableOf(tf.tensor2d(rng.normals(shape[0] * shape[1], 0, 1 / Math.sqrt(fanIn)), shape));
}
