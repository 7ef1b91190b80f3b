import type { Rng } from '@paperlab/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * `k` random Fourier features cos(xW + b) of `d`-dimensional rows, for a training and a test split:
 * W ~ N(0, (scale·π)² / E‖x‖²) with E‖x‖² over the training rows, b ~ U(0, 2π), both drawn from `rng`.
 */
export function randomFourierFeatures(
  train: Float32Array,
  test: Float32Array,
  d: number,
  k: number,
  scale: number,
  rng: Rng,
): { train: Float32Array; test: Float32Array } {
  const n = train.length / d;
  let sq = 0;
  for (let i = 0; i < train.length; i++) sq += train[i]! ** 2;
  const sigma = (scale * Math.PI) / Math.sqrt(Math.max(sq / n, 1e-12));
  const w = tf.tensor2d(rng.normals(d * k, 0, sigma), [d, k]);
  const b = tf.tensor1d(rng.uniforms(k, 0, 2 * Math.PI));
  const apply = (x: Float32Array) => {
    const t = tf.tidy(() => tf.cos(tf.add(tf.matMul(tf.tensor2d(x, [x.length / d, d]), w), b)));
    const v = Float32Array.from(t.dataSync());
    t.dispose();
    return v;
  };
  const out = { train: apply(train), test: apply(test) };
  tf.dispose([w, b]);
  return out;
}
