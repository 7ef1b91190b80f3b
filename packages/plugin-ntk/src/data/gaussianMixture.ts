import type { Rng } from '@paperlab/core';

/** A labelled classification set as flat Float32 rows. */
export interface LabelledPoints {
  /** Inputs, row-major [n, dim]. */
  x: Float32Array;
  labels: Int32Array;
  dim: number;
  classes: number;
}

/**
 * k-cluster Gaussian mixture in d dimensions: centres ~ N(0, sep²/d·I), unit isotropic noise around each, point i
 * in cluster i mod k (the cluster is the class).
 */
export function gaussianMixture(n: number, d: number, k: number, sep: number, rng: Rng): LabelledPoints {
  const centres = rng.split('centres').normals(k * d, 0, sep / Math.sqrt(d));
  const noise = rng.split('noise').normals(n * d);
  const x = new Float32Array(n * d);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    labels[i] = c;
    for (let j = 0; j < d; j++) x[i * d + j] = centres[c * d + j]! + noise[i * d + j]!;
  }
  return { x, labels, dim: d, classes: k };
}
