import type { LabelledArrays } from '@paperlab/core/data';
import { type Forward, predictInBatches } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';

/** Anything with a forward pass on a batch (a net, a trainee, a hooked model): core's `Forward`. */
export type Predictor = Forward;

/** Softmax probabilities [n, k] of a model on labelled arrays, `batch` rows at a time (host array, row-major). */
export function predictProbs(
  model: Predictor,
  data: Pick<LabelledArrays, 'x' | 'n' | 'shape'>,
  batch = 1000,
): Float32Array {
  return predictInBatches(model, data.x, data.shape, {
    rows: data.n,
    batchSize: batch,
    map: (y) => tf.softmax(y),
  });
}

/** Fraction of rows of `probs` [n, k] whose argmax is the label. */
export function accuracyFromProbs(probs: Float32Array, labels: Int32Array): number {
  const n = labels.length;
  if (n === 0) return Number.NaN;
  const k = probs.length / n;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (probs[i * k + c]! > probs[i * k + best]!) best = c;
    if (best === labels[i]) correct++;
  }
  return correct / n;
}

/** Test accuracy of a model on labelled arrays. */
export function accuracy(model: Predictor, data: LabelledArrays, batch = 1000): number {
  return accuracyFromProbs(predictProbs(model, data, batch), data.y);
}

/** Macro-averaged F1 and balanced accuracy (mean per-class recall) from probabilities [n, k]. */
export function classBalancedScores(
  probs: Float32Array,
  labels: Int32Array,
  k: number,
): { macroF1: number; balancedAccuracy: number } {
  const tp = new Float64Array(k);
  const fp = new Float64Array(k);
  const fn = new Float64Array(k);
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (probs[i * k + c]! > probs[i * k + best]!) best = c;
    const y = labels[i]!;
    if (best === y) tp[y]!++;
    else {
      fp[best]!++;
      fn[y]!++;
    }
  }
  let f1 = 0;
  let recall = 0;
  let present = 0;
  for (let c = 0; c < k; c++) {
    const denom = 2 * tp[c]! + fp[c]! + fn[c]!;
    f1 += denom > 0 ? (2 * tp[c]!) / denom : 0;
    if (tp[c]! + fn[c]! > 0) {
      recall += tp[c]! / (tp[c]! + fn[c]!);
      present++;
    }
  }
  return { macroF1: f1 / k, balancedAccuracy: present ? recall / present : Number.NaN };
}
