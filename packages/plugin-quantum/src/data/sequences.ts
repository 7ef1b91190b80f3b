import type { Rng } from '@paperlab/core';
import { avgPoolImages } from '@paperlab/core/data';
import type { SequenceData } from '../models/recurrent.js';

/** Elman's XOR stream: each sequence is (a, b, a⊕b) triplets; the target at step t is the bit at t + 1. */
export function xorSequences(count: number, triplets: number, rng: Rng): SequenceData {
  const T = 3 * triplets;
  const x = new Float32Array(count * T);
  const y = new Float32Array(count * T);
  for (let s = 0; s < count; s++) {
    const bits: number[] = [];
    for (let k = 0; k <= triplets; k++) {
      const a = rng.int(2);
      const b = rng.int(2);
      bits.push(a, b, a ^ b);
    }
    for (let t = 0; t < T; t++) {
      x[s * T + t] = bits[t]!;
      y[s * T + t] = bits[t + 1]!;
    }
  }
  return { x, y, n: count, steps: T, dim: 1, weights: new Float32Array(T).fill(1) };
}

/**
 * 28×28 digit images as bit sequences: average-pooled by `pool`, thresholded, fed `perStep` pixels per step;
 * the label is the target of every step, weighted only at the last.
 */
export function digitSequences(
  images: Float32Array,
  labels: Int32Array,
  pool: number,
  threshold: number,
  perStep: number,
): SequenceData {
  const n = labels.length;
  const pixels = Math.floor(28 / pool) ** 2;
  const bits = avgPoolImages(images, n, 28, 28, pool, { crop: true, threshold });
  const T = Math.ceil(pixels / perStep);
  const x = new Float32Array(n * T * perStep);
  const y = new Float32Array(n * T);
  for (let i = 0; i < n; i++) {
    x.set(bits.subarray(i * pixels, (i + 1) * pixels), i * T * perStep);
    y.fill(labels[i]!, i * T, (i + 1) * T);
  }
  const weights = new Float32Array(T);
  weights[T - 1] = 1;
  return { x, y, n, steps: T, dim: perStep, weights };
}

/**
 * Accuracy of P(next bit = 1) > ½ on an XOR stream from {@link xorSequences}: on the predictable steps (the
 * XOR bits) and on the others (random bits: chance level expected).
 */
export function xorStreamAccuracy(
  probs: ArrayLike<number>,
  data: SequenceData,
): { xor: number; random: number } {
  let okX = 0;
  let nX = 0;
  let okR = 0;
  let nR = 0;
  for (let s = 0; s < data.n; s++)
    for (let t = 0; t < data.steps; t++) {
      const right = (probs[s * data.steps + t]! > 0.5 ? 1 : 0) === data.y[s * data.steps + t];
      if (t % 3 === 1) {
        nX++;
        if (right) okX++;
      } else {
        nR++;
        if (right) okR++;
      }
    }
  return { xor: okX / nX, random: okR / nR };
}

/** Accuracy of P(class 1) > ½ at the last step of every sequence (sequence classification). */
export function lastStepAccuracy(probs: ArrayLike<number>, data: SequenceData): number {
  let ok = 0;
  for (let s = 0; s < data.n; s++) {
    const t = data.steps - 1;
    if ((probs[s * data.steps + t]! > 0.5 ? 1 : 0) === data.y[s * data.steps + t]) ok++;
  }
  return ok / data.n;
}
