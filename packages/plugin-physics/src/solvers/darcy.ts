import type { Rng } from '@paperlab/core';
import { conjugateGradient } from '@paperlab/core/linalg';
import { fft2 } from './fft.js';

/**
 * A Gaussian random field on an s × s periodic grid of the unit square with covariance (−Δ + τ²)^−α (the
 * operator-learning Darcy benchmark's μ = N(0, (−Δ + 9I)^−2) for τ = 3, α = 2), by spectral synthesis; zero mean.
 */
export function gaussianRandomField(
  rng: Rng,
  s: number,
  options: { tau?: number; alpha?: number } = {},
): Float64Array {
  const tau = options.tau ?? 3;
  const alpha = options.alpha ?? 2;
  const re = new Float64Array(s * s);
  const im = new Float64Array(s * s);
  for (let j = 0; j < s; j++)
    for (let i = 0; i < s; i++) {
      const [kx, ky] = [i < s / 2 ? i : i - s, j < s / 2 ? j : j - s];
      if (kx === 0 && ky === 0) continue;
      const amp = (4 * Math.PI * Math.PI * (kx * kx + ky * ky) + tau * tau) ** (-alpha / 2);
      re[j * s + i] = amp * rng.normal();
      im[j * s + i] = amp * rng.normal();
    }
  fft2(re, im, s, s, true);
  // The real part of the inverse transform of white noise shaped by the spectrum (normalised to unit variance).
  let v = 0;
  for (const x of re) v += x * x;
  const scale = 1 / Math.sqrt(v / re.length || 1);
  return re.map((x) => x * scale);
}

/** The benchmark's piecewise-constant coefficient: a = hi where the field is ≥ 0, lo elsewhere (12 and 3). */
export function thresholdCoefficient(field: ArrayLike<number>, hi = 12, lo = 3): Float64Array {
  return Float64Array.from(field, (v) => (v >= 0 ? hi : lo));
}

/** Result of {@link solveDarcy}. */
export interface DarcySolution {
  /** u on the s × s grid of nodes x_i = i/(s − 1) (boundary rows and columns are 0). */
  u: Float64Array;
  iterations: number;
  residual: number;
}

/**
 * −∇·(a∇u) = f on the unit square with u = 0 on the boundary: the 5-point finite-volume stencil on an s × s node
 * grid (face coefficients the harmonic mean of the two nodes, so jumps in a are handled conservatively), solved
 * by conjugate gradient on the interior unknowns.
 */
export function solveDarcy(
  a: ArrayLike<number>,
  f: number | ArrayLike<number>,
  s: number,
  options: { tol?: number } = {},
): DarcySolution {
  if (a.length !== s * s)
    throw new RangeError(`solveDarcy: coefficient has ${a.length} values for a ${s} × ${s} grid`);
  const h = 1 / (s - 1);
  const m = s - 2;
  const face = (p: number, q: number) => (2 * a[p]! * a[q]!) / (a[p]! + a[q]!);
  const idx = (i: number, j: number) => j * s + i;
  const apply = (x: Float64Array): Float64Array => {
    const y = new Float64Array(m * m);
    for (let j = 1; j <= m; j++)
      for (let i = 1; i <= m; i++) {
        const p = idx(i, j);
        const at = (ii: number, jj: number) =>
          ii < 1 || ii > m || jj < 1 || jj > m ? 0 : x[(jj - 1) * m + ii - 1]!;
        const c = at(i, j);
        const [e, w, n, so] = [
          face(p, idx(i + 1, j)),
          face(p, idx(i - 1, j)),
          face(p, idx(i, j + 1)),
          face(p, idx(i, j - 1)),
        ];
        y[(j - 1) * m + i - 1] =
          ((e + w + n + so) * c -
            e * at(i + 1, j) -
            w * at(i - 1, j) -
            n * at(i, j + 1) -
            so * at(i, j - 1)) /
          (h * h);
      }
    return y;
  };
  const b = Float64Array.from({ length: m * m }, (_, q) => {
    const [i, j] = [(q % m) + 1, Math.floor(q / m) + 1];
    return typeof f === 'number' ? f : f[idx(i, j)]!;
  });
  const r = conjugateGradient(apply, b, { tol: options.tol ?? 1e-10, maxIter: 20 * m * m });
  const u = new Float64Array(s * s);
  for (let j = 1; j <= m; j++) for (let i = 1; i <= m; i++) u[idx(i, j)] = r.x[(j - 1) * m + i - 1]!;
  return { u, iterations: r.iterations, residual: r.residual };
}
