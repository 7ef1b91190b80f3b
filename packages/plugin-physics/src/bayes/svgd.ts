import * as tf from '@tensorflow/tfjs-core';

/**
 * The Stein variational gradient direction (Liu & Wang 2016) for particles X [K, D] with scores ∇log p at each
 * (G [K, D]) and an RBF kernel k(x, y) = exp(−‖x − y‖²/h), h = med²/log(K + 1) (median heuristic):
 * φ(x_i) = (1/K) Σ_j [k(x_j, x_i)·∇log p(x_j) + ∇_{x_j}k(x_j, x_i)]. The first term pulls particles to high
 * density, the second keeps them apart — with one particle it is plain gradient ascent (a MAP fit).
 */
export function svgdDirection(X: tf.Tensor2D, G: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const K = X.shape[0];
    const sq = tf.sum(tf.square(X), 1, true);
    const d2 = tf.relu(
      tf.sub(tf.add(sq, tf.transpose(sq)), tf.mul(2, tf.matMul(X, X, false, true))),
    ) as tf.Tensor2D;
    const med = K > 1 ? median(d2) : 1;
    const h = Math.max(med / Math.log(K + 1), 1e-8);
    const k = tf.exp(tf.div(tf.neg(d2), h));
    const drive = tf.matMul(k, G);
    const repulse = tf.mul(2 / h, tf.sub(tf.mul(X, tf.sum(k, 1, true)), tf.matMul(k, X)));
    return tf.div(tf.add(drive, repulse), K) as tf.Tensor2D;
  });
}

function median(d2: tf.Tensor2D): number {
  const v = Array.from(d2.dataSync()).sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}
