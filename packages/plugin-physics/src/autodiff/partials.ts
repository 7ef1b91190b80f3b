import * as tf from '@tensorflow/tfjs-core';

/** A pointwise field: points [n, d] to values [n, k], each row depending only on its own point. */
export type PointwiseField = (x: tf.Tensor2D) => tf.Tensor2D;

/**
 * A partial derivative by coordinate indices, e.g. `[0]` = ∂/∂x₀, `[0, 0, 1]` = ∂³/∂x₀²∂x₁ (order ≤ 3
 * is what the residuals here need; higher orders work but cost grows with each nesting).
 */
export type MultiIndex = readonly number[];

function column(t: tf.Tensor2D, j: number): tf.Tensor1D {
  return tf.reshape(tf.slice(t, [0, j], [-1, 1]), [-1]);
}

/**
 * ∂^|idx| f_j / ∂x_idx at every point by nested reverse-mode gradients: because rows are independent, the
 * gradient of Σ_rows is the per-row derivative. Returns [n]. The field must use ops whose gradients are
 * differentiable again (use {@link tanhHO} rather than `tf.tanh`).
 */
export function partial(f: PointwiseField, x: tf.Tensor2D, j: number, idx: MultiIndex): tf.Tensor1D {
  return tf.tidy(() => {
    // g_m(x) = ∂^m f_j / ∂x_{idx[0..m)} as a function of the points, built up one order at a time.
    let g: (p: tf.Tensor2D) => tf.Tensor1D = (p) => column(f(p), j);
    for (const axis of idx) {
      const prev = g;
      g = (p) => column(tf.grad((q: tf.Tensor) => tf.sum(prev(q as tf.Tensor2D)))(p) as tf.Tensor2D, axis);
    }
    return g(x);
  });
}

/**
 * Several partial derivatives of output `j`, keyed by name, e.g. `{ u_x: [0], u_xx: [0, 0], u_xxx: [0, 0, 0] }`;
 * each is computed by {@link partial} (each [n]).
 */
export function partials<K extends string>(
  f: PointwiseField,
  x: tf.Tensor2D,
  j: number,
  wanted: Readonly<Record<K, MultiIndex>>,
): Record<K, tf.Tensor1D> {
  const out = {} as Record<K, tf.Tensor1D>;
  for (const key of Object.keys(wanted) as K[]) out[key] = partial(f, x, j, wanted[key]);
  return out;
}
