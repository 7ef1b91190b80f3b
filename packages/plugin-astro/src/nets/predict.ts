import type { Trainee } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Predictions of `model` on host inputs [n × shape], in batches; [n × outputs]. Dropout is off unless
 * `training` is set (MC dropout).
 */
export function predictHost(
  model: Trainee,
  x: Float32Array,
  shape: readonly number[],
  batchSize = 256,
  training = false,
): Float32Array {
  const per = shape.reduce((a, b) => a * b, 1);
  const n = x.length / per;
  let out = new Float32Array(0);
  let outputs = 0;
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const y = tf.tidy(() =>
      model.forward(tf.tensor(x.subarray(start * per, end * per), [end - start, ...shape]), { training }),
    );
    const data = y.dataSync();
    if (!outputs) {
      outputs = data.length / (end - start);
      out = new Float32Array(n * outputs);
    }
    out.set(data, start * outputs);
    y.dispose();
  }
  return out;
}
