import * as tf from '@tensorflow/tfjs-core';

/**
 * Empirical NTK of any scalar-output function of variables, from per-example Jacobians:
 * Θ̂ = J·Jᵀ with J[i] = ∂f(x_i)/∂θ flattened. One backward pass per example; memory N × P.
 * For fully-connected nets prefer `empiricalNtkMlp`, which never materialises J.
 */
export function empiricalNtkJacobian(
  f: (x: tf.Tensor2D) => tf.Tensor,
  variables: tf.Variable[],
  x: tf.Tensor2D,
): tf.Tensor2D {
  const n = x.shape[0];
  const rows: tf.Tensor1D[] = [];
  for (let i = 0; i < n; i++) {
    const row = tf.tidy(() => {
      const xi = tf.slice(x, [i, 0], [1, -1]) as tf.Tensor2D;
      const { grads } = tf.variableGrads(() => tf.sum(f(xi)) as tf.Scalar, variables);
      return tf.concat(variables.map((v) => tf.reshape(grads[v.name]!, [-1]))) as tf.Tensor1D;
    });
    rows.push(row);
  }
  const J = tf.stack(rows) as tf.Tensor2D;
  tf.dispose(rows);
  const theta = tf.matMul(J, J, false, true) as tf.Tensor2D;
  J.dispose();
  return theta;
}
