import * as tf from '@tensorflow/tfjs-core';
import type { LabelledPoints } from './gaussianMixture.js';

/** Labelled points as classifier tensors: x [n, dim] and one-hot float32 targets y [n, classes]. */
export function labelledTensors(
  task: LabelledPoints,
  classes: number = task.classes,
): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const n = task.labels.length;
  const x = tf.tensor2d(task.x, [n, task.dim]);
  const y = tf.tidy(() =>
    tf.cast(tf.oneHot(tf.tensor1d(task.labels, 'int32'), classes), 'float32'),
  ) as tf.Tensor2D;
  return { x, y };
}
