import type { Rng } from '@paperlab/core';
import type { PooledImages } from '../data/pooledImages.js';
import type { ClassificationStream } from './neuralBandits.js';

/**
 * A classification data set turned into a K-armed bandit stream: the first `rounds` examples of a random order
 * drawn from `rng` (all of them if there are fewer); arm a earns reward 1 iff a is the example's label.
 */
export function shuffledStream(
  data: PooledImages,
  rng: Rng,
  rounds: number,
  arms: number,
): ClassificationStream {
  const order = rng.permutation(data.labels.length);
  const n = Math.min(rounds, order.length);
  const x = new Float64Array(n * data.dim);
  const labels = new Int32Array(n);
  for (let t = 0; t < n; t++) {
    const i = order[t]!;
    x.set(data.x.subarray(i * data.dim, (i + 1) * data.dim), t * data.dim);
    labels[t] = data.labels[i]!;
  }
  return { x, labels, dim: data.dim, arms };
}
