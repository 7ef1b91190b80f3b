import type { Rng } from '@paperlab/core';
import { mean } from '@paperlab/core/kit';
import { eigh } from '@paperlab/core/linalg';
import * as tf from '@tensorflow/tfjs-core';

/** Eigenvalues of a symmetric n×n matrix with N(0, 1/n) entries off the diagonal (Wigner; semicircle on [−2, 2]). */
export function wignerSpectrum(rng: Rng, n: number): number[] {
  const g = rng.normals(n * n, 0, 1 / Math.sqrt(n));
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      const v = i === j ? Math.SQRT2 * g[i * n + i]! : g[i * n + j]!;
      data[i * n + j] = v;
      data[j * n + i] = v;
    }
  return Array.from(eigh({ rows: n, cols: n, data }).values);
}

/** Eigenvalues of X·Xᵀ/m for an n × m Gaussian X (Marchenko–Pastur with ratio n/m). */
export function wishartSpectrum(rng: Rng, n: number, m: number): number[] {
  const s = tf.tidy(() => {
    const X = tf.tensor2d(rng.normals(n * m), [n, m]);
    return tf.div(tf.matMul(X, X, false, true), m);
  });
  const data = Float64Array.from(s.dataSync());
  s.dispose();
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (data[i * n + j]! + data[j * n + i]!);
      data[i * n + j] = v;
      data[j * n + i] = v;
    }
  return Array.from(eigh({ rows: n, cols: n, data }).values);
}

/**
 * CDF of the Gaussian with the sample's mean and (population) variance — the wrong law a spectrum is also compared
 * with (erf by Abramowitz–Stegun 7.1.26, |error| < 1.5e−7).
 */
export function momentMatchedGaussianCdf(xs: readonly number[]): (x: number) => number {
  const mu = mean(xs);
  const sigma = Math.sqrt(mean(xs.map((v) => (v - mu) ** 2)));
  return (x) => {
    const z = (x - mu) / (sigma * Math.SQRT2);
    const t = 1 / (1 + 0.3275911 * Math.abs(z));
    const y =
      1 -
      ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
        t *
        Math.exp(-z * z);
    return 0.5 * (1 + Math.sign(z) * y);
  };
}
