import * as tf from '@tensorflow/tfjs-core';

/** Anything with a forward pass on a batch: a net, a trainee, a hooked model. */
export interface Forward {
  /** Forward pass on a batch. */
  forward(x: tf.Tensor, options: { training: boolean }): tf.Tensor;
}

/** Options of {@link predictInBatches}. */
export interface PredictOptions {
  /** Rows per forward pass (default 256); it sets the shapes the kernels see, so keep it fixed for a comparison. */
  batchSize?: number;
  /** Forward in training mode (dropout on: MC dropout); default off. */
  training?: boolean;
  /** Applied to each batch's output inside the same tidy, e.g. `tf.softmax`. */
  map?: (y: tf.Tensor) => tf.Tensor;
  /** Rows to predict: the first `rows` of `x`, which must hold at least that many (default: every row of `x`). */
  rows?: number;
}

/**
 * A model's outputs on host inputs `x` (rows of `shape`, row-major), one batch at a time, as one host array
 * [n × outputs]; every tensor it makes is disposed. Without `rows`, `x.length` must be a whole number of rows.
 */
export function predictInBatches(
  model: Forward,
  x: Float32Array,
  shape: readonly number[],
  options: PredictOptions = {},
): Float32Array {
  const { batchSize = 256, training = false, map, rows } = options;
  const per = shape.reduce((a, b) => a * b, 1);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`predictInBatches: batchSize must be a positive integer, got ${batchSize}`);
  if (rows !== undefined && (!Number.isInteger(rows) || rows < 0 || rows * per > x.length))
    throw new RangeError(
      `predictInBatches: rows must be a whole number of rows that x holds (at most ${Math.floor(x.length / Math.max(per, 1))}), got ${rows}`,
    );
  if (per < 1 || (rows === undefined && x.length % per !== 0))
    throw new RangeError(`predictInBatches: ${x.length} values are not whole rows of [${shape.join(', ')}]`);
  const n = rows ?? x.length / per;
  let out = new Float32Array(0);
  let outputs = 0;
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const y = tf.tidy(() => {
      const raw = model.forward(tf.tensor(x.subarray(start * per, end * per), [end - start, ...shape]), {
        training,
      });
      return map ? map(raw) : raw;
    });
    const data = y.dataSync();
    y.dispose();
    if (start === 0) {
      outputs = data.length / (end - start);
      out = new Float32Array(n * outputs);
    }
    out.set(data, start * outputs);
  }
  return out;
}
