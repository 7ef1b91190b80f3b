import * as tf from '@tensorflow/tfjs-core';

/**
 * Soft-target distillation loss (Hinton et al. 2015): T²·KL(softmax(t/T) ‖ softmax(s/T)), averaged over the batch.
 * The T² keeps gradient magnitudes comparable across temperatures. `teacher` holds logits (no gradient flows to it).
 */
export function softTargetLoss(student: tf.Tensor, teacher: tf.Tensor, temperature: number): tf.Scalar {
  if (!(temperature > 0))
    throw new RangeError(`softTargetLoss: temperature must be positive, got ${temperature}`);
  return tf.tidy(() => {
    const pt = tf.softmax(tf.div(teacher, temperature));
    const logPt = tf.logSoftmax(tf.div(teacher, temperature));
    const logPs = tf.logSoftmax(tf.div(student, temperature));
    const kl = tf.sum(tf.mul(pt, tf.sub(logPt, logPs)), -1);
    return tf.mul(tf.mean(kl), temperature * temperature) as tf.Scalar;
  });
}

/**
 * Knowledge-distillation objective α·CE(student, labels) + (1 − α)·T²·KL(teacher_T ‖ student_T); labels are class
 * indices or one-hot rows.
 */
export function distillationLoss(
  student: tf.Tensor,
  labels: tf.Tensor,
  teacher: tf.Tensor,
  o: { alpha: number; temperature: number },
): tf.Scalar {
  return tf.tidy(() => {
    const k = student.shape[student.rank - 1]!;
    const y =
      labels.rank === student.rank
        ? tf.cast(labels, 'float32')
        : tf.oneHot(tf.cast(labels, 'int32') as tf.Tensor1D, k);
    const ce = tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(student)), -1)));
    return tf.add(
      tf.mul(ce, o.alpha),
      tf.mul(softTargetLoss(student, teacher, o.temperature), 1 - o.alpha),
    ) as tf.Scalar;
  });
}

/** PS-KD's mixing weight at epoch t of T (1-based): α_t = α_T · t / T (Kim et al. 2021, Eq. 7). */
export function progressiveAlpha(epoch: number, epochs: number, alphaT: number): number {
  return (alphaT * epoch) / epochs;
}

/**
 * Progressive self-distillation targets (1 − α)·y + α·p, with y one-hot from `labels` and p the model's own
 * predicted probabilities from the previous epoch (row-major [n, k]); host arrays.
 */
export function progressiveTargets(
  labels: Int32Array,
  previous: Float32Array,
  k: number,
  alpha: number,
): Float32Array {
  if (previous.length !== labels.length * k)
    throw new RangeError(`progressiveTargets: ${previous.length} probabilities for ${labels.length}×${k}`);
  const out = new Float32Array(labels.length * k);
  for (let i = 0; i < labels.length; i++)
    for (let c = 0; c < k; c++)
      out[i * k + c] = alpha * previous[i * k + c]! + (c === labels[i] ? 1 - alpha : 0);
  return out;
}

/** Label-smoothing targets of strength ε: (1 − ε)·y + ε/k (Szegedy et al. 2016). */
export function smoothedTargets(labels: Int32Array, k: number, eps: number): Float32Array {
  const out = new Float32Array(labels.length * k).fill(eps / k);
  for (let i = 0; i < labels.length; i++) out[i * k + labels[i]!]! += 1 - eps;
  return out;
}

/**
 * Expected calibration error (Naeini et al. 2015; Guo et al. 2017): the confidence–accuracy gap averaged over `bins`
 * equal-width confidence bins, weighted by bin size. `probs` row-major [n, k].
 */
export function expectedCalibrationError(
  probs: Float32Array,
  labels: Int32Array,
  k: number,
  bins = 15,
): number {
  const n = labels.length;
  const conf = new Float64Array(bins);
  const acc = new Float64Array(bins);
  const count = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (probs[i * k + c]! > probs[i * k + best]!) best = c;
    const p = probs[i * k + best]!;
    const b = Math.min(bins - 1, Math.floor(p * bins));
    conf[b]! += p;
    acc[b]! += best === labels[i] ? 1 : 0;
    count[b]! += 1;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (count[b]! > 0) ece += Math.abs(acc[b]! - conf[b]!) / n;
  return ece;
}
