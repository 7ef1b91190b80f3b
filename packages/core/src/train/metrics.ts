import * as tf from '@tensorflow/tfjs-core';
import type { Metric } from '../contracts/metric.js';

/** Classification accuracy (argmax of predictions vs int labels or one-hot rows). */
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
      const c = tf.tidy(() => {
        const p =
          pred.shape.length > 1 && pred.shape[pred.shape.length - 1]! > 1
            ? tf.argMax(pred, -1)
            : tf.cast(tf.greater(tf.reshape(pred, [-1]), 0), 'int32');
        const t = target.dtype === 'int32' ? tf.reshape(target, [-1]) : tf.argMax(target, -1);
        return tf.sum(tf.cast(tf.equal(p, t), 'int32'));
      });
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
