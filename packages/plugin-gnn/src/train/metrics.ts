import * as tf from '@tensorflow/tfjs-core';

/**
 * Softmax cross-entropy with per-class weights from the batch itself (Dwivedi et al. 2020 for PATTERN and
 * CLUSTER): class c weighs `(N − n_c)/N`, so rare classes count as much as frequent ones. `labels` int32.
 */
export function balancedCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const k = logits.shape[1];
    const onehot = tf.oneHot(labels, k);
    const counts = tf.sum(onehot, 0);
    const n = labels.shape[0];
    const w = tf.div(tf.sub(n, counts), n);
    const perNode = tf.neg(tf.sum(tf.mul(onehot, tf.logSoftmax(logits)), -1));
    const wNode = tf.sum(tf.mul(onehot, w), -1);
    return tf.div(tf.sum(tf.mul(perNode, wNode)), tf.sum(wNode)) as tf.Scalar;
  });
}

/** Mean softmax cross-entropy over the rows `mask` selects (mask 1/0 per row) — node classification on a split. */
export function maskedCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D, mask: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const onehot = tf.oneHot(labels, logits.shape[1]);
    const perNode = tf.neg(tf.sum(tf.mul(onehot, tf.logSoftmax(logits)), -1));
    return tf.div(tf.sum(tf.mul(perNode, mask)), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
  });
}

/** Arg-max class of each row of row-major scores `[rows, k]`. */
export function argmaxRows(scores: ArrayLike<number>, k: number): Int32Array {
  const rows = scores.length / k;
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (scores[i * k + c]! > scores[i * k + best]!) best = c;
    out[i] = best;
  }
  return out;
}

/** Fraction of `pred` equal to `labels`, over `rows` (default: all). */
export function accuracy(
  pred: ArrayLike<number>,
  labels: ArrayLike<number>,
  rows?: ArrayLike<number>,
): number {
  const ids = rows ?? Array.from({ length: labels.length }, (_, i) => i);
  let hit = 0;
  for (let t = 0; t < ids.length; t++) if (pred[ids[t]!] === labels[ids[t]!]) hit++;
  return ids.length ? hit / ids.length : Number.NaN;
}

/** Class-balanced accuracy: the mean over classes of the fraction of that class predicted right. */
export function balancedAccuracy(
  pred: ArrayLike<number>,
  labels: ArrayLike<number>,
  classes: number,
): number {
  const hit = new Float64Array(classes);
  const tot = new Float64Array(classes);
  for (let i = 0; i < labels.length; i++) {
    tot[labels[i]!]!++;
    if (pred[i] === labels[i]) hit[labels[i]!]!++;
  }
  let s = 0;
  let present = 0;
  for (let c = 0; c < classes; c++)
    if (tot[c]! > 0) {
      s += hit[c]! / tot[c]!;
      present++;
    }
  return present ? s / present : Number.NaN;
}
