import { z } from '@paperlab/core';

/**
 * Upper bounds of the compression papers' config fields (issue 17): a huge value is a config error naming the
 * field, never an hour-long run or an out-of-memory. Each is well above what a CPU-scale run uses.
 */
export const CONFIG_LIMITS = {
  /** Training epochs of any phase. */
  epochs: 1000,
  /** Minibatch size. */
  batchSize: 10_000,
  /** Adam / SGD step. */
  lr: 10,
  /** Units of a hidden layer or filters of a conv layer. */
  width: 4096,
  /** Hidden layers of an MLP (entries of a widths list). */
  layers: 16,
  /** Independent seeds of an experiment. */
  seeds: 64,
  /** Entries of a list of settings swept over (budgets, dimensions, densities…). */
  sweep: 64,
} as const;

/** An integer count in [min, max] with a default: the shape of every epoch / size / probe-count field. */
export function countField(d: number, min: number, max: number): z.ZodDefault<z.ZodNumber> {
  return z.number().int().min(min).max(max).default(d);
}

/** Training epochs (≥ `min`, bounded by {@link CONFIG_LIMITS}). */
export function epochsField(d: number, min = 1): z.ZodDefault<z.ZodNumber> {
  return countField(d, min, CONFIG_LIMITS.epochs);
}

/** A layer width: hidden units or conv filters (≥ `min`, bounded). */
export function widthSchema(min = 2): z.ZodNumber {
  return z.number().int().min(min).max(CONFIG_LIMITS.width);
}

/** Independent seeds (1 to `max`, default `d`). */
export function seedsField(d: number, max = 16): z.ZodDefault<z.ZodNumber> {
  return countField(d, 1, Math.min(max, CONFIG_LIMITS.seeds));
}

/** A step size in (0, {@link CONFIG_LIMITS}.lr]. */
export function lrField(d: number): z.ZodDefault<z.ZodNumber> {
  return z.number().positive().max(CONFIG_LIMITS.lr).default(d);
}

/** Defaults of {@link trainingConfig}. */
export interface TrainingDefaults {
  epochs: number;
  batchSize: number;
  lr: number;
  /** Smallest batch accepted (default 8). */
  minBatch?: number;
}

/** Config fields of one training phase: `epochs`, `batchSize`, Adam step `lr` (all bounded). */
export function trainingConfig(d: TrainingDefaults) {
  return {
    epochs: epochsField(d.epochs).describe('training epochs'),
    batchSize: countField(d.batchSize, d.minBatch ?? 8, CONFIG_LIMITS.batchSize).describe('minibatch size'),
    lr: lrField(d.lr).describe('Adam step'),
  };
}

/** Config fields of the plugin's small CNN ({@link smallCnn}): two conv widths and the hidden dense width. */
export function smallCnnConfig(d: { filters: [number, number]; hidden: number; minFilters?: number }) {
  const f = widthSchema(d.minFilters ?? 2);
  return {
    filters: z.tuple([f, f]).default(d.filters).describe('filters of the two conv layers'),
    hidden: widthSchema(2).default(d.hidden).describe('units of the hidden dense layer'),
  };
}

/** A list of hidden widths of an MLP (each ≥ `min`, at most {@link CONFIG_LIMITS}.layers entries). */
export function widthsField(d: number[], min = 4): z.ZodDefault<z.ZodArray<z.ZodNumber>> {
  return z.array(widthSchema(min)).min(1).max(CONFIG_LIMITS.layers).default(d);
}
