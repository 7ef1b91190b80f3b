import { eye, matmul, solveLower, transpose, zeros } from '@paperlab/core/linalg';
import * as tf from '@tensorflow/tfjs-core';

/** Network outputs needed for `d` correlated targets: d means, d log-diagonals, d(d − 1)/2 off-diagonals of L. */
export function choleskyOutputs(d: number): number {
  return 2 * d + (d * (d - 1)) / 2;
}

/** Row-major positions (i, j), i > j, of the strictly-lower entries of a d×d factor, in output order. */
function lowerPositions(d: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 1; i < d; i++) for (let j = 0; j < i; j++) out.push([i, j]);
  return out;
}

/**
 * The Gaussian negative log-likelihood with a learned precision Λ = L·Lᵀ, L lower-triangular with a positive
 * (exp) diagonal: per example −Σ log L_ii + ½‖Lᵀ(y − μ)‖² (constant dropped), averaged. `pred` is
 * [n, choleskyOutputs(d)] laid out as (μ, log diag L, strictly-lower L row by row), `target` is [n, d].
 */
export function choleskyGaussianNll(d: number): (pred: tf.Tensor, target: tf.Tensor) => tf.Scalar {
  const pos = lowerPositions(d);
  const place = new Float32Array(Math.max(1, pos.length) * d * d);
  pos.forEach(([i, j], k) => {
    place[k * d * d + i * d + j] = 1;
  });
  const diag = new Float32Array(d * d * d);
  for (let i = 0; i < d; i++) diag[i * d * d + i * d + i] = 1;
  return (pred, target) =>
    tf.tidy(() => {
      const n = pred.shape[0]!;
      const mu = tf.slice(pred, [0, 0], [n, d]);
      const logDiag = tf.slice(pred, [0, d], [n, d]);
      let flat = tf.matMul(tf.exp(logDiag) as tf.Tensor2D, tf.tensor2d(diag, [d, d * d]));
      if (pos.length)
        flat = tf.add(
          flat,
          tf.matMul(
            tf.slice(pred, [0, 2 * d], [n, pos.length]) as tf.Tensor2D,
            tf.tensor2d(place, [pos.length, d * d]),
          ),
        );
      const l = tf.reshape(flat, [n, d, d]) as tf.Tensor3D;
      const r = tf.reshape(tf.sub(target, mu), [n, 1, d]) as tf.Tensor3D;
      // (Lᵀ r)_j = Σ_i r_i L_ij: a row vector times L.
      const z = tf.matMul(r, l);
      const quad = tf.mul(0.5, tf.sum(tf.square(z), [1, 2]));
      return tf.mean(tf.sub(quad, tf.sum(logDiag, 1))) as tf.Scalar;
    });
}

/** One prediction unpacked: mean μ and covariance Σ = (L·Lᵀ)⁻¹ (row-major d×d). */
export interface GaussianPrediction {
  mean: Float64Array;
  cov: Float64Array;
}

/** Unpacks one output row of a {@link choleskyGaussianNll} network into its mean and covariance. */
export function unpackCholesky(row: ArrayLike<number>, d: number): GaussianPrediction {
  const l = zeros(d, d);
  for (let i = 0; i < d; i++) l.data[i * d + i] = Math.exp(row[d + i]!);
  lowerPositions(d).forEach(([i, j], k) => {
    l.data[i * d + j] = row[2 * d + k]!;
  });
  // Σ = L⁻ᵀ L⁻¹: invert L by forward substitution, then multiply.
  const inv = solveLower(l, eye(d));
  const cov = matmul(transpose(inv), inv).data;
  return { mean: Float64Array.from({ length: d }, (_, i) => row[i]!), cov };
}
