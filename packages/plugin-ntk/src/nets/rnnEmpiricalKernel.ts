import type { Rng } from '@paperlab/core';
import * as tf from '@tensorflow/tfjs-core';
import type { RnnKernelAttrs } from '../kernels/rnnKernel.js';

/** Shape of the input sequences of {@link rnnEmpiricalKernel}: [count, steps, dim] row-major. */
export interface SequenceBatch {
  seqs: Float32Array;
  count: number;
  steps: number;
  dim: number;
}

/**
 * A random finite RNN h_t = φ(W·h_{t−1} + U·x_t + b) (h₀ = 0) and its empirical output kernel σv²·φ(g_T)·φ(g_T)ᵀ/n
 * (the output covariance given the weights), [count, count] Float64 — the finite-width counterpart of `rnnNngp`.
 * `tied`: one recurrent W shared across time; otherwise a fresh W at every step.
 */
export function rnnEmpiricalKernel(
  rng: Rng,
  x: SequenceBatch,
  width: number,
  a: RnnKernelAttrs,
  tied: boolean,
): Float64Array {
  const { count, steps, dim } = x;
  const U = tf.tensor2d(rng.split('U').normals(dim * width, 0, Math.sqrt(a.sigmaU2 / dim)), [dim, width]);
  const b = tf.tensor1d(rng.split('b').normals(width, 0, Math.sqrt(a.sigmaB2)));
  const drawW = (label: string) =>
    tf.tensor2d(rng.split(label).normals(width * width, 0, Math.sqrt(a.sigmaW2 / width)), [width, width]);
  const Wtied = tied ? drawW('W') : null;
  const xs = tf.tensor3d(x.seqs, [count, steps, dim]);
  let h: tf.Tensor2D | null = null;
  for (let t = 0; t < steps; t++) {
    const W = t === 0 ? null : (Wtied ?? drawW(`W-${t}`));
    const next: tf.Tensor2D = tf.tidy(() => {
      const xt = tf.reshape(tf.slice(xs, [0, t, 0], [count, 1, dim]), [count, dim]);
      let g = tf.add(tf.matMul(xt, U), b);
      if (h && W) g = tf.add(g, tf.matMul(h, W));
      return (a.activation === 'relu' ? tf.relu(g) : tf.erf(g)) as tf.Tensor2D;
    });
    h?.dispose();
    if (W && W !== Wtied) W.dispose();
    h = next;
  }
  const k = tf.tidy(() => tf.mul(tf.matMul(h!, h!, false, true), a.sigmaV2 / width));
  const out = Float64Array.from(k.dataSync());
  tf.dispose([k, h!, U, b, xs, ...(Wtied ? [Wtied] : [])]);
  return out;
}
