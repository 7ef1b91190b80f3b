import type { Rng } from '@paperlab/core';

/** A copy of `n` images of dimension `d` with N(0, std²) pixel noise added, each re-normalised to ‖x‖² = d. */
export function addPixelNoise(rng: Rng, x: Float32Array, n: number, d: number, std: number): Float32Array {
  const out = Float32Array.from(x);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) {
      out[i * d + k]! += std * rng.normal();
      s += out[i * d + k]! ** 2;
    }
    const scale = Math.sqrt(d / s);
    for (let k = 0; k < d; k++) out[i * d + k]! *= scale;
  }
  return out;
}
