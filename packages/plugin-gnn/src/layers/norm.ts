import { ownedVariable } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import type { Parametrised } from './linear.js';

/** A non-trainable variable that takes over its initial value. */
function buffer(init: tf.Tensor): tf.Variable {
  const v = tf.variable(init, false);
  init.dispose();
  return v;
}

/** `(x − mean)/√(variance + ε)·γ + β`, the normalisation both layers apply. */
function affineNormalise(
  x: tf.Tensor2D,
  mean: tf.Tensor,
  variance: tf.Tensor,
  epsilon: number,
  gamma: tf.Tensor,
  beta: tf.Tensor,
): tf.Tensor2D {
  return tf.add(
    tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon))), gamma),
    beta,
  ) as tf.Tensor2D;
}

/**
 * Batch normalisation over rows (nodes or edges) per feature, with a learned scale and shift; training
 * normalises by the batch's statistics and updates running averages, which evaluation uses.
 */
export class BatchNorm implements Parametrised {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
  readonly runningMean: tf.Variable;
  readonly runningVar: tf.Variable;

  /** `dim` features; `momentum` is the weight of a new batch in the running averages. */
  constructor(
    readonly dim: number,
    readonly momentum = 0.1,
    readonly epsilon = 1e-5,
  ) {
    this.gamma = ownedVariable(tf.ones([dim]));
    this.beta = ownedVariable(tf.zeros([dim]));
    this.runningMean = buffer(tf.zeros([dim]));
    this.runningVar = buffer(tf.ones([dim]));
  }

  /** Normalises `x [rows, dim]`; in training also moves the running statistics. */
  apply(x: tf.Tensor2D, training: boolean): tf.Tensor2D {
    return tf.tidy(() => {
      if (!training || x.shape[0] < 2)
        return affineNormalise(x, this.runningMean, this.runningVar, this.epsilon, this.gamma, this.beta);
      const { mean, variance } = tf.moments(x, 0);
      const m = this.momentum;
      const n = x.shape[0];
      this.runningMean.assign(tf.add(tf.mul(this.runningMean, 1 - m), tf.mul(mean, m)));
      this.runningVar.assign(tf.add(tf.mul(this.runningVar, 1 - m), tf.mul(variance, (m * n) / (n - 1))));
      return affineNormalise(x, mean, variance, this.epsilon, this.gamma, this.beta);
    });
  }

  variables(): tf.Variable[] {
    return [this.gamma, this.beta];
  }

  /** The running statistics (state, not trained). */
  buffers(): tf.Variable[] {
    return [this.runningMean, this.runningVar];
  }

  dispose(): void {
    tf.dispose([this.gamma, this.beta, this.runningMean, this.runningVar]);
  }
}

/** Layer normalisation over each row's features, with a learned scale and shift (no batch statistics). */
export class LayerNorm implements Parametrised {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;

  constructor(
    readonly dim: number,
    readonly epsilon = 1e-5,
  ) {
    this.gamma = ownedVariable(tf.ones([dim]));
    this.beta = ownedVariable(tf.zeros([dim]));
  }

  /** Normalises every row of `x [rows, dim]`. */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const { mean, variance } = tf.moments(x, -1, true);
      return affineNormalise(x, mean, variance, this.epsilon, this.gamma, this.beta);
    });
  }

  variables(): tf.Variable[] {
    return [this.gamma, this.beta];
  }

  dispose(): void {
    tf.dispose([this.gamma, this.beta]);
  }
}
