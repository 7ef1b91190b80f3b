import { throwIfAborted } from '@paperlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { type NtkMlpParams, type NtkMlpSpec, ntkMlpForward, ntkMlpVariables } from './ntkMlp.js';

/** Options of {@link fitNtkMlpMse}. */
export interface FitNtkMlpMseOptions {
  /** Step size η on the loss (1/2N)·Σ(f − y)². */
  lr: number;
  /** Full-batch gradient-descent steps. */
  steps: number;
  /** Checked every 16 steps. */
  signal?: AbortSignal;
}

/**
 * Trains a scalar-output NTK MLP in place by full-batch gradient descent on (1/2N)·Σᵢ(f(xᵢ) − yᵢ)² and returns the
 * training MSE (1/N)·Σᵢ(f(xᵢ) − yᵢ)² of the last step.
 */
export function fitNtkMlpMse(
  spec: NtkMlpSpec,
  params: NtkMlpParams,
  x: tf.Tensor2D,
  y: ArrayLike<number>,
  o: FitNtkMlpMseOptions,
): number {
  const yT = tf.tensor2d(Float32Array.from(y), [x.shape[0], 1]);
  const opt = tf.train.sgd(o.lr);
  const vars = ntkMlpVariables(params);
  let loss = Number.NaN;
  try {
    for (let s = 0; s < o.steps; s++) {
      if (o.signal && s % 16 === 0) throwIfAborted(o.signal);
      const cost = opt.minimize(
        () => tf.mul(0.5, tf.mean(tf.square(tf.sub(ntkMlpForward(spec, params, x), yT)))) as tf.Scalar,
        s === o.steps - 1,
        vars,
      );
      if (cost) {
        loss = 2 * cost.dataSync()[0]!;
        cost.dispose();
      }
    }
  } finally {
    opt.dispose();
    yT.dispose();
  }
  return loss;
}
