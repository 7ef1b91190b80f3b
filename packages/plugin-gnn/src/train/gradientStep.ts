import type { FitOptimizer } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';

/**
 * One gradient step on `vars`: differentiates `loss`, applies the optimizer to the gradients (in the variables'
 * order) and frees them. Returns the loss when `read` is set (one device sync), NaN otherwise.
 */
export function gradientStep(
  vars: tf.Variable[],
  optimizer: FitOptimizer,
  loss: () => tf.Scalar,
  read = false,
): number {
  const { value, grads } = tf.variableGrads(loss, vars);
  optimizer.apply(
    vars,
    vars.map((v) => grads[v.name]!),
  );
  const out = read ? value.dataSync()[0]! : Number.NaN;
  tf.dispose([value, ...Object.values(grads)]);
  return out;
}
