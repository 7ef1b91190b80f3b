import type { Rng } from '@paperlab/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * A Gaussian random function of the first `k` of the `d` coordinates of each of the `n` rows of `x`, whose
 * covariance is the NTK of a 2-layer ReLU network with `M` hidden units:
 * f(x) = Σ_m [a_m·relu(w_m·x) + (b_m·x)·step(w_m·x)]/√M, all weights N(0, 1), drawn in chunks of 1024 units.
 * Its rank (M·(k + 1)) exceeds every training set, so it behaves like the infinite-width NTK field. The values are
 * rescaled to unit mean square over the rows.
 */
export function reluNtkField(
  rng: Rng,
  x: Float32Array,
  n: number,
  d: number,
  k: number,
  M: number,
): Float64Array {
  const y = new Float64Array(n);
  const chunk = 1024;
  const xk = tf.tidy(() => tf.slice(tf.tensor2d(x, [n, d]), [0, 0], [n, k]));
  for (let c0 = 0; c0 < M; c0 += chunk) {
    const m = Math.min(chunk, M - c0);
    const r = rng.split(`units-${c0}`);
    const part = tf.tidy(() => {
      const W = tf.tensor2d(r.normals(k * m), [k, m]);
      const B = tf.tensor2d(r.normals(k * m), [k, m]);
      const a = tf.tensor2d(r.normals(m), [m, 1]);
      const h = tf.matMul(xk, W);
      const out = tf.add(tf.matMul(tf.relu(h), a), tf.sum(tf.mul(tf.matMul(xk, B), tf.step(h)), 1, true));
      return tf.reshape(out, [n]);
    });
    const v = part.dataSync();
    for (let i = 0; i < n; i++) y[i]! += v[i]! / Math.sqrt(M);
    part.dispose();
  }
  xk.dispose();
  let ss = 0;
  for (const v of y) ss += v * v;
  const scale = 1 / Math.sqrt(ss / n);
  for (let i = 0; i < n; i++) y[i]! *= scale;
  return y;
}
