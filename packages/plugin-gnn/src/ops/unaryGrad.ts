import * as tf from '@tensorflow/tfjs-core';

/**
 * `forward(x)` with a hand-written gradient `backward(dy, x, y)` (for ops whose forward runs outside tfjs'
 * autodiff, e.g. typed-array or WGSL kernels).
 */
export function unaryGrad<T extends tf.Tensor>(
  x: T,
  forward: (x: T) => T,
  backward: (dy: T, x: T, y: T) => tf.Tensor,
): T {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const input = args[0] as T;
    const save = args[1] as tf.GradSaveFunc;
    const value = forward(input);
    save([input, value]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => backward(dy as T, saved[0] as T, saved[1] as T),
    };
  });
  return op(x) as T;
}
