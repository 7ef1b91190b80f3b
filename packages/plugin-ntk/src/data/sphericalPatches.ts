import type { Rng } from '@paperlab/core';

/** `n` inputs of dimension `d`, each made of d/s patches of `s` coordinates drawn uniformly on the sphere S^{s−1}. */
export function sphericalPatches(rng: Rng, n: number, d: number, s: number): Float32Array {
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < d / s; p++) {
      const v = rng.normals(s);
      let norm = 0;
      for (const u of v) norm += u * u;
      norm = Math.sqrt(norm);
      for (let k = 0; k < s; k++) x[i * d + p * s + k] = v[k]! / norm;
    }
  }
  return x;
}
