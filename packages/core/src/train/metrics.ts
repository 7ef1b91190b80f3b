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

/** One batch's contribution to a {@link meanMetric}: a scalar (read, then disposed) over `count` items. */
interface BatchTotal {
  value: tf.Scalar;
  count: number;
  /** `value` is a mean over the batch, so it counts `count` times; otherwise it is already a sum. */
  isMean?: boolean;
}

/** A metric that averages per-batch totals over everything seen since the last reset (NaN before any). */
function meanMetric(name: string, batch: (pred: tf.Tensor, target: tf.Tensor) => BatchTotal): Metric {
  let sum = 0;
  let count = 0;
  return {
    name,
    reset() {
      sum = 0;
      count = 0;
    },
    update(pred, target) {
      const b = batch(pred, target);
      const v = b.value.dataSync()[0]!;
      b.value.dispose();
      sum += b.isMean ? v * b.count : v;
      count += b.count;
    },
    compute: () => (count ? sum / count : Number.NaN),
  };
}

/** Classification accuracy: argmax vs labels or one-hot rows; for one score per example, its sign vs the label's. */
export function accuracyMetric(name = 'accuracy'): Metric {
  return meanMetric(name, (pred, target) => ({ value: correctCount(pred, target), count: pred.shape[0]! }));
}

/** Mean squared error over all elements. */
export function mseMetric(name = 'mse'): Metric {
  return meanMetric(name, (pred, target) => ({
    value: tf.tidy(() => tf.sum(tf.square(tf.sub(pred, tf.reshape(target, pred.shape))))),
    count: pred.size,
  }));
}

/** Mean of a per-batch loss function (weighted by batch size). */
export function lossMetric(name: string, loss: (pred: tf.Tensor, target: tf.Tensor) => tf.Scalar): Metric {
  return meanMetric(name, (pred, target) => ({
    value: loss(pred, target),
    count: pred.shape[0]!,
    isMean: true,
  }));
}
