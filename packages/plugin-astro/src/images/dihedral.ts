import type { Rng } from '@paperlab/core';
import type { BatchSource } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';

/**
 * One of the 8 symmetries of the square applied to [n × size × size × channels] host images: `t` = rotation by
 * (t mod 4)·90° after a mirror when t ≥ 4. Exact (no resampling); returns a new array.
 */
export function dihedral(images: Float32Array, size: number, channels: number, t: number): Float32Array {
  const per = size * size * channels;
  const n = images.length / per;
  const out = new Float32Array(images.length);
  const last = size - 1;
  for (let b = 0; b < n; b++)
    for (let i = 0; i < size; i++)
      for (let j = 0; j < size; j++) {
        let si = i;
        let sj = t >= 4 ? last - j : j;
        for (let r = 0; r < t % 4; r++) [si, sj] = [sj, last - si];
        const src = b * per + (si * size + sj) * channels;
        const dst = b * per + (i * size + j) * channels;
        for (let c = 0; c < channels; c++) out[dst + c] = images[src + c]!;
      }
  return out;
}

/**
 * Training batches with a random symmetry of the square per image (`dihedral`), for `fit`: images [n × size² ×
 * channels], targets [n × targetSize] (one-hot for classification); the symmetries come from `rng`.
 */
export function dihedralBatches(
  x: Float32Array,
  y: Float32Array,
  o: { n: number; size: number; channels: number; targetSize: number },
  rng: Rng,
): BatchSource {
  const per = o.size * o.size * o.channels;
  const t = o.targetSize;
  return {
    n: o.n,
    batch(indices) {
      const bx = new Float32Array(indices.length * per);
      const by = new Float32Array(indices.length * t);
      indices.forEach((i, k) => {
        bx.set(dihedral(x.subarray(i * per, (i + 1) * per), o.size, o.channels, rng.int(8)), k * per);
        by.set(y.subarray(i * t, (i + 1) * t), k * t);
      });
      return {
        x: tf.tensor4d(bx, [indices.length, o.size, o.size, o.channels]),
        y: tf.tensor2d(by, [indices.length, t]),
      };
    },
  };
}
