import type { Rng } from '@paperlab/core';
import { logGamma, sampleGamma } from '../../stats/distributions.js';

/**
 * Two-class data on the unit sphere with a known Bayes rule (the setting of Radhakrishnan et al. 2022):
 * class +1 ~ Dirichlet(α₁) with prior π₁, class −1 ~ Dirichlet(α₂), each point s of the simplex mapped to
 * x = s/‖s‖₂ on the positive orthant of S^{d−1}. The map is a bijection (s = x/‖x‖₁), so the Bayes rule
 * compares π·Dir(s) on the simplex.
 */
export interface DirichletTask {
  alpha1: number[];
  alpha2: number[];
  prior1: number;
}

/** Labelled points: x [n, d] row-major unit vectors, y ∈ {+1, −1}. */
export interface SphereSample {
  x: Float64Array;
  y: Int8Array;
  n: number;
  d: number;
}

/** Draws n labelled points (labels by the prior, then the class's Dirichlet). */
export function sampleDirichletSphere(rng: Rng, task: DirichletTask, n: number): SphereSample {
  const d = task.alpha1.length;
  const x = new Float64Array(n * d);
  const y = new Int8Array(n);
  const g = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const pos = rng.uniform() < task.prior1;
    const alpha = pos ? task.alpha1 : task.alpha2;
    y[i] = pos ? 1 : -1;
    let sum = 0;
    for (let k = 0; k < d; k++) {
      g[k] = Math.max(sampleGamma(rng, alpha[k]!), 1e-300);
      sum += g[k]!;
    }
    let norm = 0;
    for (let k = 0; k < d; k++) norm += (g[k]! / sum) ** 2;
    norm = Math.sqrt(norm);
    for (let k = 0; k < d; k++) x[i * d + k] = g[k]! / sum / norm;
  }
  return { x, y, n, d };
}

/** log Dirichlet density at a simplex point s. */
export function logDirichlet(alpha: number[], s: ArrayLike<number>): number {
  let out = logGamma(alpha.reduce((a, b) => a + b, 0));
  for (let k = 0; k < alpha.length; k++) out += (alpha[k]! - 1) * Math.log(s[k]!) - logGamma(alpha[k]!);
  return out;
}

/** Bayes prediction (+1/−1) for a point on the sphere. */
export function bayesPredict(task: DirichletTask, x: ArrayLike<number>, offset: number): number {
  const d = task.alpha1.length;
  let l1 = 0;
  for (let k = 0; k < d; k++) l1 += x[offset + k]!;
  const s = Array.from({ length: d }, (_, k) => x[offset + k]! / l1);
  const a = Math.log(task.prior1) + logDirichlet(task.alpha1, s);
  const b = Math.log(1 - task.prior1) + logDirichlet(task.alpha2, s);
  return a > b ? 1 : -1;
}

/** Error rate of the exact Bayes rule on a sample. */
export function bayesErrorOn(task: DirichletTask, s: SphereSample): number {
  let e = 0;
  for (let i = 0; i < s.n; i++) if (bayesPredict(task, s.x, i * s.d) !== s.y[i]) e++;
  return e / s.n;
}

/**
 * Bayes error E[min(η, 1−η)] and the asymptotic 1-NN error E[2η(1−η)] (Cover & Hart 1967) by midpoint
 * quadrature over the simplex (d = 2: an interval; d = 3: a triangle), from the known densities.
 */
export function bayesAndNnErrors(task: DirichletTask, resolution = 4000): { bayes: number; nn: number } {
  const d = task.alpha1.length;
  const p1 = task.prior1;
  let bayes = 0;
  let nn = 0;
  const add = (s: number[], weight: number) => {
    const a = p1 * Math.exp(logDirichlet(task.alpha1, s));
    const b = (1 - p1) * Math.exp(logDirichlet(task.alpha2, s));
    const tot = a + b;
    if (!(tot > 0)) return;
    bayes += Math.min(a, b) * weight;
    nn += ((2 * a * b) / tot) * weight;
  };
  if (d === 2) {
    const h = 1 / resolution;
    for (let i = 0; i < resolution; i++) {
      const t = (i + 0.5) * h;
      add([t, 1 - t], h);
    }
  } else if (d === 3) {
    // Density of (s1, s2) on {s1, s2 > 0, s1 + s2 < 1}; midpoints of a square grid inside the triangle.
    const m = Math.min(resolution, 1500);
    const h = 1 / m;
    for (let i = 0; i < m; i++) {
      for (let j = 0; i + j < m - 1; j++) {
        const s1 = (i + 0.5) * h;
        const s2 = (j + 0.5) * h;
        add([s1, s2, 1 - s1 - s2], h * h);
      }
      // Diagonal cells are half inside the triangle: weight the centroid of the inner half-cell.
      const j = m - 1 - i;
      const s1 = (i + 1 / 3) * h;
      const s2 = (j + 1 / 3) * h;
      add([s1, s2, 1 - s1 - s2], (h * h) / 2);
    }
  } else {
    throw new Error(`bayesAndNnErrors: dimension ${d} not supported (2 or 3)`);
  }
  return { bayes, nn };
}
