import * as tf from '@tensorflow/tfjs-core';

/**
 * tanh that can be differentiated any number of times. tfjs 4.22 saves the *output* of Tanh (also Sigmoid, Exp)
 * for its gradient through a clone that is taped before the op itself, so a second `tf.grad` either throws
 * ("Cannot compute gradient") or silently drops terms. This version saves the input and writes its gradient
 * with itself, so nested gradients stay exact to every order.
 */
export const tanhHO: (x: tf.Tensor) => tf.Tensor = tf.customGrad(
  (...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([x]);
    return {
      value: tf.tanh(x),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, tf.sub(1, tf.square(tanhHO(saved[0]!)))),
    };
  },
) as (x: tf.Tensor) => tf.Tensor;
