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

/** {@link maskedCrossEntropy}'s mask for a split: 1 at the rows listed in `rows`, 0 at the other of `n` rows. */
export function rowMask(rows: ArrayLike<number>, n: number): tf.Tensor1D {
  const mask = new Float32Array(n);
  for (let t = 0; t < rows.length; t++) mask[rows[t]!] = 1;
  return tf.tensor1d(mask);
}

/** The arg-max class of every row of the scores `logits()` computes (run in a tidy scope, read back). */
export function predictClasses(logits: () => tf.Tensor2D): Int32Array {
  const out = tf.tidy(logits);
  const pred = argmaxRows(out.dataSync(), out.shape[1]);
  out.dispose();
  return pred;
}

/** Test and train accuracy of per-node predictions on a node split. */
export function splitAccuracy(
  pred: ArrayLike<number>,
  labels: ArrayLike<number>,
  split: { train: ArrayLike<number>; test: ArrayLike<number> },
): { test: number; train: number } {
  return { test: accuracy(pred, labels, split.test), train: accuracy(pred, labels, split.train) };
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

/** Mean per-user top-k ranking quality: precision, recall, F1 and NDCG (binary relevance). */
export interface TopKMetrics {
  precision: number;
  recall: number;
  f1: number;
  ndcg: number;
  /** Users with at least one held-out item (the ones averaged over). */
  users: number;
}

/**
 * Top-k metrics of a score matrix `scores [users × items]` (row-major) against held-out pairs, excluding each
 * user's training items from the ranking. F1 is computed per user (2PR/(P+R), 0 without hits) and averaged;
 * NDCG@k divides by the ideal DCG of min(k, |held-out|) hits.
 */
export function topKMetrics(
  scores: ArrayLike<number>,
  shape: { users: number; items: number },
  train: { user: ArrayLike<number>; item: ArrayLike<number> },
  test: { user: ArrayLike<number>; item: ArrayLike<number> },
  k: number,
): TopKMetrics {
  const { users, items } = shape;
  const seen = Array.from({ length: users }, () => new Set<number>());
  for (let j = 0; j < train.user.length; j++) seen[train.user[j]!]!.add(train.item[j]!);
  const held = Array.from({ length: users }, () => new Set<number>());
  for (let j = 0; j < test.user.length; j++) held[test.user[j]!]!.add(test.item[j]!);
  let p = 0;
  let r = 0;
  let f = 0;
  let nd = 0;
  let counted = 0;
  const top = new Int32Array(k);
  const topScore = new Float64Array(k);
  for (let u = 0; u < users; u++) {
    const truth = held[u]!;
    if (truth.size === 0) continue;
    counted++;
    // Partial selection of the k best unseen items (ties broken by the lower item id).
    let filled = 0;
    for (let i = 0; i < items; i++) {
      if (seen[u]!.has(i)) continue;
      const s = scores[u * items + i]!;
      // A free slot while fewer than k are kept, else the last one (only when this item beats it).
      let at: number;
      if (filled < k) at = filled++;
      else if (s > topScore[k - 1]!) at = k - 1;
      else continue;
      while (at > 0 && topScore[at - 1]! < s) {
        topScore[at] = topScore[at - 1]!;
        top[at] = top[at - 1]!;
        at--;
      }
      topScore[at] = s;
      top[at] = i;
    }
    let hits = 0;
    let dcg = 0;
    for (let j = 0; j < filled; j++)
      if (truth.has(top[j]!)) {
        hits++;
        dcg += 1 / Math.log2(j + 2);
      }
    let idcg = 0;
    for (let j = 0; j < Math.min(k, truth.size); j++) idcg += 1 / Math.log2(j + 2);
    const prec = hits / k;
    const rec = hits / truth.size;
    p += prec;
    r += rec;
    f += hits > 0 ? (2 * prec * rec) / (prec + rec) : 0;
    nd += dcg / idcg;
  }
  const c = Math.max(1, counted);
  return { precision: p / c, recall: r / c, f1: f / c, ndcg: nd / c, users: counted };
}
