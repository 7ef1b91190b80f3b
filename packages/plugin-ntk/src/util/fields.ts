import { z } from '@paperlab/core';

/** Inclusive bounds of a config number: every field has both (a huge value is a config error, not a long run). */
export type Bounds = readonly [min: number, max: number];

function bounded(base: z.ZodNumber, [min, max]: Bounds): z.ZodNumber {
  return base.min(min).max(max);
}

/** An integer setting in one line of a paper's config: default, inclusive bounds, what it means. */
export function int(value: number, bounds: Bounds, describe: string) {
  return bounded(z.number().int(), bounds).default(value).describe(describe);
}

/** A real setting: positive up to `max`, or within inclusive `bounds`. */
export function real(value: number, describe: string, bounds: Bounds | { max: number }) {
  const base = 'max' in bounds ? z.number().positive().max(bounds.max) : bounded(z.number(), bounds);
  return base.default(value).describe(describe);
}

/** A list of integers within `bounds`, at least `length` of them. */
export function ints(value: number[], bounds: Bounds, describe: string, length = 1) {
  return z.array(bounded(z.number().int(), bounds)).min(length).default(value).describe(describe);
}

/** A list of positive reals up to `max`: at least `length` of them, or a count within inclusive bounds. */
export function reals(value: number[], describe: string, max: number, length: number | Bounds = 1) {
  const [least, most] = typeof length === 'number' ? [length, undefined] : length;
  const list = z.array(z.number().positive().max(max)).min(least);
  return (most === undefined ? list : list.max(most)).default(value).describe(describe);
}
