import type * as tf from '@tensorflow/tfjs-core';

/** A streaming metric: reset, update batch by batch, compute. */
export interface Metric {
  name: string;
  reset(): void;
  /** Accumulates one batch; must not keep references to the tensors. */
  update(pred: tf.Tensor, target: tf.Tensor): void;
  compute(): number;
}
