import { symmetricEigenvalues } from '@paperlab/core/linalg';
import * as tf from '@tensorflow/tfjs-core';
import type { CompressNet } from '../nets/compressNet.js';

/**
 * Importance scores of the output units (neurons / filters) of one weighted layer: one number per unit, higher =
 * more important. Structured pruning keeps the top-scoring units.
 */
export type UnitScores = Float64Array;

/** A unit's weights: the kernel slice feeding output channel `u` (all axes but the last), as rows of a matrix. */
function unitRows(kernel: Float32Array, units: number): Float64Array[] {
  const fan = kernel.length / units;
  return Array.from({ length: units }, (_, u) => {
    const r = new Float64Array(fan);
    for (let i = 0; i < fan; i++) r[i] = kernel[i * units + u]!;
    return r;
  });
}

/** L1 norm of each unit's incoming weights (Li et al. 2017, "Pruning filters for efficient ConvNets"). */
export function l1Scores(kernel: Float32Array, units: number): UnitScores {
  return Float64Array.from(unitRows(kernel, units), (r) => r.reduce((a, v) => a + Math.abs(v), 0));
}

/**
 * Geometric-median criterion (FPGM, He et al. 2019): a unit's score is the sum of Euclidean distances from its
 * weights to every other unit's. Units near the layer's geometric median (small sums) are the most replaceable by
 * the others, so they are pruned first — whatever their norm.
 */
export function geometricMedianScores(kernel: Float32Array, units: number): UnitScores {
  const rows = unitRows(kernel, units);
  const out = new Float64Array(units);
  for (let a = 0; a < units; a++)
    for (let b = a + 1; b < units; b++) {
      let d = 0;
      const ra = rows[a]!;
      const rb = rows[b]!;
      for (let i = 0; i < ra.length; i++) d += (ra[i]! - rb[i]!) ** 2;
      const dist = Math.sqrt(d);
      out[a]! += dist;
      out[b]! += dist;
    }
  return out;
}

/**
 * Numerical rank of a rows×cols matrix: singular values above σ_max·max(rows, cols)·ε_f32 (NumPy's rule with
 * float32's ε, since activations are float32), from the eigenvalues of AᵀA in float64.
 */
export function matrixRank(a: ArrayLike<number>, rows: number, cols: number): number {
  const n = cols;
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += a[r * cols + i]! * a[r * cols + j]!;
      g[i * n + j] = s;
      g[j * n + i] = s;
    }
  const ev = symmetricEigenvalues(g, n);
  const top = Math.max(...ev, 0);
  if (!(top > 0)) return 0;
  const tol = (Math.sqrt(top) * Math.max(rows, cols) * 1.1920929e-7) ** 2;
  return ev.reduce((k, v) => k + (v > tol ? 1 : 0), 0);
}

/**
 * Activation-rank criterion (HRank, Lin et al. 2020): the mean rank, over a batch of inputs, of each filter's
 * feature map (an h×w matrix) at the output of layer `layer` (use the index of the layer after the conv's
 * activation, or the conv itself when it carries its activation). Conv layers only.
 */
export function activationRankScores(net: CompressNet, layer: number, x: tf.Tensor): UnitScores {
  const acts = net.activations(x);
  try {
    const a = acts[layer]!;
    if (a.rank !== 4)
      throw new Error(
        `activationRankScores: layer ${layer} output has rank ${a.rank}; it needs conv feature maps`,
      );
    const [n, h, w, c] = a.shape as [number, number, number, number];
    const v = a.dataSync();
    const out = new Float64Array(c);
    const map = new Float64Array(h * w);
    for (let i = 0; i < n; i++)
      for (let ch = 0; ch < c; ch++) {
        for (let p = 0; p < h * w; p++) map[p] = v[(i * h * w + p) * c + ch]!;
        out[ch]! += matrixRank(map, h, w) / n;
      }
    return out;
  } finally {
    tf.dispose(acts);
  }
}

/** Mean absolute activation of each unit (channel) of layer `layer`'s output over a batch (dense or conv). */
export function activationMeanScores(net: CompressNet, layer: number, x: tf.Tensor): UnitScores {
  const acts = net.activations(x);
  try {
    const a = acts[layer]!;
    const c = a.shape[a.rank - 1]!;
    const m = tf.tidy(() => tf.mean(tf.abs(tf.reshape(a, [-1, c])), 0));
    const out = Float64Array.from(m.dataSync());
    m.dispose();
    return out;
  } finally {
    tf.dispose(acts);
  }
}

/** Indices of the `keep` highest-scoring units, ascending (ties: lower index first). */
export function topUnits(scores: ArrayLike<number>, keep: number): number[] {
  if (keep < 1 || keep > scores.length)
    throw new RangeError(`topUnits: cannot keep ${keep} of ${scores.length} units`);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort(
    (a, b) => scores[b]! - scores[a]! || a - b,
  );
  return order.slice(0, keep).sort((a, b) => a - b);
}
