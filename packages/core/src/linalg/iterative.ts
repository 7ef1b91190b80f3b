import type { Rng } from '../rng/rng.js';
import { eigh } from './eigh.js';
import { zeros } from './matrix.js';

/** Result of conjugate gradient. */
export interface CgResult {
  x: Float64Array;
  iterations: number;
  residual: number;
  converged: boolean;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Conjugate gradient for symmetric positive-definite systems given only a mat-vec. */
export function conjugateGradient(
  apply: (x: Float64Array) => Float64Array,
  b: ArrayLike<number>,
  options: { tol?: number; maxIter?: number; x0?: ArrayLike<number> } = {},
): CgResult {
  const n = b.length;
  const x = options.x0 ? Float64Array.from(options.x0) : new Float64Array(n);
  const ax = apply(x);
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = b[i]! - ax[i]!;
  const p = r.slice();
  let rs = dot(r, r);
  const bnorm = Math.sqrt(dot(b, b)) || 1;
  const tol = options.tol ?? 1e-10;
  const maxIter = options.maxIter ?? 10 * n;
  let it = 0;
  while (it < maxIter && Math.sqrt(rs) / bnorm > tol) {
    const ap = apply(p);
    const alpha = rs / dot(p, ap);
    for (let i = 0; i < n; i++) {
      x[i]! += alpha * p[i]!;
      r[i]! -= alpha * ap[i]!;
    }
    const rsNew = dot(r, r);
    const beta = rsNew / rs;
    for (let i = 0; i < n; i++) p[i] = r[i]! + beta * p[i]!;
    rs = rsNew;
    it++;
  }
  const residual = Math.sqrt(rs) / bnorm;
  return { x, iterations: it, residual, converged: residual <= tol };
}

/**
 * Lanczos with full reorthogonalisation: Ritz values (ascending) of a symmetric operator after `steps`
 * iterations, plus the tridiagonal's eigenvector weights (for spectral densities by Gauss quadrature).
 */
export function lanczos(
  apply: (x: Float64Array) => Float64Array,
  n: number,
  steps: number,
  rng: Rng,
): { values: Float64Array; weights: Float64Array } {
  const k = Math.min(steps, n);
  const Q: Float64Array[] = [];
  let q = new Float64Array(n);
  for (let i = 0; i < n; i++) q[i] = rng.normal();
  let norm = Math.sqrt(dot(q, q));
  for (let i = 0; i < n; i++) q[i]! /= norm;
  const alpha: number[] = [];
  const beta: number[] = [];
  for (let j = 0; j < k; j++) {
    Q.push(q);
    const w = apply(q);
    const a = dot(w, q);
    alpha.push(a);
    // Full reorthogonalisation (twice is enough).
    for (let pass = 0; pass < 2; pass++) {
      for (const v of Q) {
        const c = dot(w, v);
        for (let i = 0; i < n; i++) w[i]! -= c * v[i]!;
      }
    }
    norm = Math.sqrt(dot(w, w));
    if (j === k - 1 || norm < 1e-12) break;
    beta.push(norm);
    q = new Float64Array(n);
    for (let i = 0; i < n; i++) q[i] = w[i]! / norm;
  }
  const m = alpha.length;
  const T = zeros(m, m);
  for (let i = 0; i < m; i++) {
    T.data[i * m + i] = alpha[i]!;
    if (i + 1 < m) {
      T.data[i * m + i + 1] = beta[i]!;
      T.data[(i + 1) * m + i] = beta[i]!;
    }
  }
  const eig = eigh(T);
  const weights = new Float64Array(m);
  for (let i = 0; i < m; i++) weights[i] = eig.vectors.data[i]! ** 2; // first component squared
  return { values: eig.values, weights };
}
