import type * as tf from '@tensorflow/tfjs-core';
import type { Stateful } from './state.js';

/** Model inputs: one tensor or named tensors. */
export type Inputs = tf.Tensor | Record<string, tf.Tensor>;

/** A trainable model built from tfjs variables. */
export interface Model extends Stateful {
  /** The trainable variables, in a stable order. */
  variables(): tf.Variable[];
  /** Forward pass; call inside `tf.tidy` or dispose the result. */
  forward(x: Inputs, options: { training: boolean }): tf.Tensor;
  /** Releases every variable. */
  dispose(): void;
}
