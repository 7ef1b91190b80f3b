import { z } from '@paperlab/core';

/** Inclusive bounds of a config number: `[min]` or `[min, max]`. */
export type Bounds = readonly [min: number, max?: number];

function bounded(base: z.ZodNumber, [min, max]: Bounds): z.ZodNumber {
  const low = base.min(min);
  return max === undefined ? low : low.max(max);
}

/** An integer setting in one line of a paper's config: default, inclusive bounds, what it means. */
export function int(value: number, bounds: Bounds, describe: string) {
  return bounded(z.number().int(), bounds).default(value).describe(describe);
}

/** A real setting: positive, or within inclusive `bounds`. */
export function real(value: number, describe: string, bounds?: Bounds) {
  const base = bounds ? bounded(z.number(), bounds) : z.number().positive();
  return base.default(value).describe(describe);
}

/** A list of integers within `bounds`, at least `length` of them. */
export function ints(value: number[], bounds: Bounds, describe: string, length = 1) {
  return z.array(bounded(z.number().int(), bounds)).min(length).default(value).describe(describe);
}

/** A list of positive reals, at least `length` of them. */
export function reals(value: number[], describe: string, length = 1) {
  return z.array(z.number().positive()).min(length).default(value).describe(describe);
}
