import * as tf from '@tensorflow/tfjs-core';
import { single } from './flow.js';
import { diagonalOf, type Kernel, spatialSize } from './kernel.js';
import type { Layer } from './types.js';

/** Writes E[φ(u)φ(v)] to out[0] and E[φ'(u)φ'(v)] to out[1] for (u, v) ~ N(0, [[k11, k12], [k12, k22]]). */
export type DualInto = (k11: number, k22: number, k12: number, out: Float64Array) => void;

const TWO_PI = 2 * Math.PI;

/** Correlation k12/√(k11k22) clamped to [−1, 1] (rounding can push it out). */
function corr(k12: number, norm: number): number {
  const c = k12 / norm;
  return Math.min(1, Math.max(-1, c));
}

/**
 * A dual of the arc-cosine family (ReLU, abs, leaky ReLU): E[φ'φ'] = `kdotAtZero` where a variance is 0, else
 * `terms` writes both from √(k11k22), the clamped cos θ and θ.
 */
function arcCosineInto(
  kdotAtZero: number,
  terms: (norm: number, c: number, t: number, out: Float64Array) => void,
): DualInto {
  return (k11, k22, k12, out) => {
    const norm = Math.sqrt(k11 * k22);
    if (norm === 0) {
      out[0] = 0;
      out[1] = kdotAtZero;
      return;
    }
    const c = corr(k12, norm);
    terms(norm, c, Math.acos(c), out);
  };
}

/** ReLU dual (arc-cosine kernel of order 1). */
export const reluDualInto: DualInto = arcCosineInto(0.25, (norm, c, t, out) => {
  out[0] = (norm * (Math.sqrt(1 - c * c) + (Math.PI - t) * c)) / TWO_PI;
  out[1] = (Math.PI - t) / TWO_PI;
});

/** Erf dual (Williams 1997). */
export const erfDualInto: DualInto = (k11, k22, k12, out) => {
  const a = (1 + 2 * k11) * (1 + 2 * k22);
  out[0] = (2 / Math.PI) * Math.asin(corr(2 * k12, Math.sqrt(a)));
  out[1] = 4 / Math.PI / Math.sqrt(Math.max(a - 4 * k12 * k12, 1e-300));
};

/** Abs dual: |u| = relu(u) + relu(−u). */
export const absDualInto: DualInto = arcCosineInto(0, (norm, c, t, out) => {
  out[0] = (norm * (2 * Math.sqrt(1 - c * c) + (Math.PI - 2 * t) * c)) / Math.PI;
  out[1] = 1 - (2 * t) / Math.PI;
});

/** Leaky-ReLU dual for slope α on the negative side. */
export function leakyReluDualInto(alpha: number): DualInto {
  const a2 = 1 + alpha * alpha;
  return arcCosineInto((a2 + 2 * alpha) / 4, (norm, c, t, out) => {
    const s = Math.sqrt(1 - c * c);
    out[0] = (norm * (a2 * (s + (Math.PI - t) * c) - 2 * alpha * (s - t * c))) / TWO_PI;
    out[1] = (a2 * (Math.PI - t)) / TWO_PI + (alpha * t) / Math.PI;
  });
}

/** The kernel of φ applied elementwise: Σ' = E[φφ], Θ' = Θ ⊙ E[φ'φ'] per pair and position (pair). */
export function activationKernel(k: Kernel, dual: DualInto, withNtk: boolean): Kernel {
  const { n1, n2, full } = k;
  const s = spatialSize(k.spatial);
  const slab = full ? s * s : s;
  const d1 = diagonalOf(k.cov1, n1, s, full);
  const d2 = diagonalOf(k.cov2, n2, s, full);
  const out = new Float64Array(2);
  const nngp = new Float64Array(k.nngp.length);
  const ntkIn = withNtk ? k.ntk : null;
  const ntk = ntkIn ? new Float64Array(ntkIn.length) : null;
  for (let i = 0; i < n1; i++) {
    for (let j = 0; j < n2; j++) {
      const base = (i * n2 + j) * slab;
      if (full) {
        for (let p1 = 0; p1 < s; p1++) {
          const v1 = d1[i * s + p1]!;
          for (let p2 = 0; p2 < s; p2++) {
            const idx = base + p1 * s + p2;
            dual(v1, d2[j * s + p2]!, k.nngp[idx]!, out);
            nngp[idx] = out[0]!;
            if (ntk) ntk[idx] = ntkIn![idx]! * out[1]!;
          }
        }
      } else {
        for (let p = 0; p < s; p++) {
          const idx = base + p;
          dual(d1[i * s + p]!, d2[j * s + p]!, k.nngp[idx]!, out);
          nngp[idx] = out[0]!;
          if (ntk) ntk[idx] = ntkIn![idx]! * out[1]!;
        }
      }
    }
  }
  const self = (cov: Float64Array, d: Float64Array, n: number) => {
    const res = new Float64Array(cov.length);
    for (let i = 0; i < n; i++) {
      if (full) {
        for (let p1 = 0; p1 < s; p1++) {
          for (let p2 = 0; p2 < s; p2++) {
            const idx = (i * s + p1) * s + p2;
            dual(d[i * s + p1]!, d[i * s + p2]!, cov[idx]!, out);
            res[idx] = out[0]!;
          }
        }
      } else {
        for (let p = 0; p < s; p++) {
          const v = d[i * s + p]!;
          dual(v, v, v, out);
          res[i * s + p] = out[0]!;
        }
      }
    }
    return res;
  };
  const cov1 = self(k.cov1, d1, n1);
  const cov2 = k.cov2 === k.cov1 ? cov1 : self(k.cov2, d2, n2);
  return { ...k, nngp, ntk, cov1, cov2, fresh: new Set() };
}

function elementwise(name: string, fn: (x: tf.Tensor) => tf.Tensor, dual: DualInto): Layer {
  return {
    name,
    needsFullSpatial: false,
    outputShape: (input) => single(name, input),
    init: () => [],
    apply: (_params, x) => fn(single(name, x)),
    kernel: (k, ctx) => activationKernel(single(name, k), dual, ctx.ntk),
  };
}

/** ReLU, φ(u) = max(u, 0) (arc-cosine dual). */
export function relu(): Layer {
  return elementwise('Relu', (x) => tf.relu(x), reluDualInto);
}

/** Erf, φ(u) = erf(u). */
export function erf(): Layer {
  return elementwise('Erf', (x) => tf.erf(x), erfDualInto);
}

/** Abs, φ(u) = |u|. */
export function abs(): Layer {
  return elementwise('Abs', (x) => tf.abs(x), absDualInto);
}

/** Leaky ReLU, φ(u) = max(u, αu) with 0 ≤ α ≤ 1 (default 0.01). */
export function leakyRelu(alpha = 0.01): Layer {
  if (!(alpha >= 0 && alpha <= 1)) throw new Error(`leakyRelu: alpha must be in [0, 1], got ${alpha}`);
  return elementwise(`LeakyRelu(${alpha})`, (x) => tf.leakyRelu(x, alpha), leakyReluDualInto(alpha));
}
