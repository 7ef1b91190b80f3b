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

/**
 * β-rank (Homayounfar et al. 2023): a filter's value weighted by how much it changes the data. For conv layer
 * `layer`, at every output position p: a_c(p) = std over the batch of filter c's pre-activation output, b(p) = std of
 * the input patch it reads (over the batch, the patch's pixels and channels); score_c = mean|F_c| · Σ_p a_c(p)/b(p),
 * min–max normalised over the layer's filters (the reference implementation's `std_filters`). Conv layers with
 * stride 1 and 'same' padding (zero padding counted in the patch).
 */
export function betaRankScores(net: CompressNet, layer: number, x: tf.Tensor): UnitScores {
  const l = net.layers[layer]!;
  if (l.spec.type !== 'conv2d') throw new Error(`betaRankScores: layer ${layer} is not a conv layer`);
  const k = l.spec.kernel;
  const acts = layer > 0 ? net.activations(x) : [];
  try {
    const input = layer > 0 ? acts[layer - 1]! : x;
    const [n, h, w, cin] = input.shape as [number, number, number, number];
    const pre = tf.tidy(() => {
      const y = tf.conv2d(input as tf.Tensor4D, l.kernel as tf.Tensor4D, 1, 'same');
      return l.bias ? tf.add(y, l.bias) : y;
    });
    const out = pre.dataSync();
    const cout = pre.shape[3]!;
    pre.dispose();
    const inp = input.dataSync();
    const kern = l.kernel!.dataSync();
    const pad = Math.floor((k - 1) / 2);
    const ratio = new Float64Array(cout);
    for (let i = 0; i < h; i++)
      for (let j = 0; j < w; j++) {
        // b(p): std of the receptive field over batch, kernel window and input channels (zero padding included).
        let s = 0;
        let s2 = 0;
        const count = n * k * k * cin;
        for (let b = 0; b < n; b++)
          for (let di = 0; di < k; di++)
            for (let dj = 0; dj < k; dj++) {
              const ii = i + di - pad;
              const jj = j + dj - pad;
              if (ii < 0 || jj < 0 || ii >= h || jj >= w) continue;
              for (let c = 0; c < cin; c++) {
                const v = inp[((b * h + ii) * w + jj) * cin + c]!;
                s += v;
                s2 += v * v;
              }
            }
        const mb = s / count;
        const sb = Math.sqrt(Math.max(s2 / count - mb * mb, 0));
        if (!(sb > 0)) continue;
        for (let c = 0; c < cout; c++) {
          let t = 0;
          let t2 = 0;
          for (let b = 0; b < n; b++) {
            const v = out[((b * h + i) * w + j) * cout + c]!;
            t += v;
            t2 += v * v;
          }
          const ma = t / n;
          ratio[c]! += Math.sqrt(Math.max(t2 / n - ma * ma, 0)) / sb;
        }
      }
    const l1 = l1Scores(kern as Float32Array, cout);
    const fan = kern.length / cout;
    const raw = Float64Array.from(ratio, (r, c) => (l1[c]! / fan) * r);
    const lo = Math.min(...raw);
    const hi = Math.max(...raw);
    return hi > lo ? Float64Array.from(raw, (v) => (v - lo) / (hi - lo)) : raw.fill(0);
  } finally {
    tf.dispose(acts);
  }
}
