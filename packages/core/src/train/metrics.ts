import * as tf from '@tensorflow/tfjs-core';
import type { Metric } from '../contracts/metric.js';

/**
 * Number of correct predictions in a batch, as an int32 scalar: argmax vs labels or one-hot rows; for one
 * score per example, its sign vs the label's (labels in {0, 1} or {−1, +1}).
 */
export function correctCount(pred: tf.Tensor, target: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const k = pred.shape[pred.rank - 1]!;
    let p: tf.Tensor;
    let t: tf.Tensor;
    if (pred.rank > 1 && k > 1) {
      p = tf.argMax(pred, -1);
      t = target.rank === pred.rank ? tf.argMax(target, -1) : tf.cast(tf.reshape(target, [-1]), 'int32');
    } else {
      p = tf.greater(tf.reshape(pred, [-1]), 0);
      t = tf.greater(tf.reshape(target, [-1]), 0);
    }
    return tf.sum(tf.cast(tf.equal(p, t), 'int32')) as tf.Scalar;
  });
}

/** Classification accuracy: argmax vs labels or one-hot rows; for one score per example, its sign vs the label's. */
export function accuracyMetric(name = 'accuracy'): Metric {
  let correct = 0;
  let total = 0;
  return {
    name,
    reset() {
      correct = 0;
      total = 0;
    },
    update(pred, target) {
      const c = correctCount(pred, target);
      correct += c.dataSync()[0]!;
      c.dispose();
      total += pred.shape[0]!;
    },
    compute: () => (total ? correct / total : Number.NaN),
  };
}

/** Mean squared error over all elements. */
export function mseMetric(name = 'mse'): Metric {
  let sum = 0;
  let count = 0;
  return {
    name,
    reset() {
      sum = 0;
      count = 0;
    },
    update(pred, target) {
      const s = tf.tidy(() => tf.sum(tf.square(tf.sub(pred, tf.reshape(target, pred.shape)))));
      sum += s.dataSync()[0]!;
      s.dispose();
      count += pred.size;
    },
    compute: () => (count ? sum / count : Number.NaN),
  };
}

/** Mean of a per-batch loss function (weighted by batch size). */
export function lossMetric(name: string, loss: (pred: tf.Tensor, target: tf.Tensor) => tf.Scalar): Metric {
  let sum = 0;
  let count = 0;
  return {
    name,
    reset() {
      sum = 0;
      count = 0;
    },
    update(pred, target) {
      const l = loss(pred, target);
      sum += l.dataSync()[0]! * pred.shape[0]!;
      l.dispose();
      count += pred.shape[0]!;
    },
    compute: () => (count ? sum / count : Number.NaN),
  };
}
