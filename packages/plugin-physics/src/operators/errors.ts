import * as tf from '@tensorflow/tfjs-core';

/** The training loss of operator learning: the batch mean of ‖pred − target‖₂ / ‖target‖₂ per example. */
export function relativeL2Loss(pred: tf.Tensor, target: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const axes = Array.from({ length: pred.rank - 1 }, (_, i) => i + 1);
    const num = tf.sqrt(tf.sum(tf.square(tf.sub(pred, target)), axes));
    const den = tf.sqrt(tf.add(tf.sum(tf.square(target), axes), 1e-20));
    return tf.mean(tf.div(num, den)) as tf.Scalar;
  });
}

/** Per-example relative errors of fields on an s × s grid (see {@link relativeErrors}). */
export interface RelativeErrors {
  /** ‖e‖_L2 / ‖u‖_L2 per example. */
  l2: Float64Array;
  /** ‖e‖_H1 / ‖u‖_H1 per example. */
  h1: Float64Array;
}

/** h²·Σ v² and Σ of squared forward differences over the grid (the discrete ‖v‖²_L2 and |v|²_H1 at spacing h). */
function norms(v: ArrayLike<number>, off: number, s: number, h: number): [number, number] {
  let l2 = 0;
  let grad = 0;
  for (let i = 0; i < s; i++)
    for (let j = 0; j < s; j++) {
      const c = v[off + i * s + j]!;
      l2 += c * c;
      if (i + 1 < s) grad += (v[off + (i + 1) * s + j]! - c) ** 2;
      if (j + 1 < s) grad += (v[off + i * s + j + 1]! - c) ** 2;
    }
  return [h * h * l2, grad];
}

/**
 * Relative L2 and H1 errors of n predicted fields against their targets (both [n, s, s] row-major), on the node
 * grid x_i = i/(s − 1): ‖v‖²_H1 = ‖v‖²_L2 + ‖∇v‖²_L2 with the gradient by forward differences.
 */
export function relativeErrors(
  pred: ArrayLike<number>,
  target: ArrayLike<number>,
  n: number,
  s: number,
): RelativeErrors {
  if (pred.length !== n * s * s || target.length !== n * s * s)
    throw new RangeError(
      `relativeErrors: ${pred.length} predicted and ${target.length} target values for ${n} fields of ${s} × ${s}`,
    );
  const h = 1 / (s - 1);
  const l2 = new Float64Array(n);
  const h1 = new Float64Array(n);
  const e = new Float64Array(s * s);
  for (let k = 0; k < n; k++) {
    const off = k * s * s;
    for (let q = 0; q < s * s; q++) e[q] = pred[off + q]! - target[off + q]!;
    const [el2, egr] = norms(e, 0, s, h);
    const [ul2, ugr] = norms(target, off, s, h);
    l2[k] = Math.sqrt(el2 / ul2);
    h1[k] = Math.sqrt((el2 + egr) / (ul2 + ugr));
  }
  return { l2, h1 };
}
