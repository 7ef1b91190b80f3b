import { z } from '@paperlab/core';

/**
 * Shared config fragments of the physics papers. Every numeric field has a lower and an upper bound, so that a huge
 * value is a config error naming the path rather than an hour-long run or an out-of-memory.
 */

/** An integer count in [min, max] with a default (samples, widths, steps, epochs…). */
export function countField(min: number, max: number, fallback: number) {
  return z.number().int().min(min).max(max).default(fallback);
}

/** A positive real at most `max` with a default (physical constants, weights, tolerances). */
export function positiveField(max: number, fallback: number) {
  return z.number().positive().max(max).default(fallback);
}

/** Seeds of a run: 1 to 16. */
export function seedsField(fallback: number) {
  return countField(1, 16, fallback);
}

/** A learning rate in (0, 1]. */
export function learningRateField(fallback: number) {
  return positiveField(1, fallback);
}

/** Training fields shared by the minibatch papers: epochs, batch size and Adam's learning rate. */
export function minibatchTrainingFields(d: { epochs: number; batchSize: number; lr: number }) {
  return {
    epochs: countField(1, 1000, d.epochs),
    batchSize: countField(1, 4096, d.batchSize),
    lr: learningRateField(d.lr),
  };
}
