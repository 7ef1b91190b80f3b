import type { Trainee } from '@paperlab/core/train';
import { predictInBatches } from '@paperlab/core/train';

/**
 * Predictions of `model` on host inputs [n × shape], in batches; [n × outputs]. Dropout is off unless
 * `training` is set (MC dropout).
 * @deprecated Use core's `predictInBatches(model, x, shape, { batchSize, training })` (`@paperlab/core/train`).
 */
export function predictHost(
  model: Trainee,
  x: Float32Array,
  shape: readonly number[],
  batchSize = 256,
  training = false,
): Float32Array {
  return predictInBatches(model, x, shape, { batchSize, training });
}
