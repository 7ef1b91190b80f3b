import { z } from '@paperlab/core';

/**
 * Config-field shorthands shared by the papers: one line per field instead of a long zod chain. Every numeric
 * field has an upper bound (issue 17): a huge value is a config error naming the path, not an hour-long run or
 * an out-of-memory.
 */

function doc<T extends z.ZodType>(t: T, description?: string): T {
  return description ? (t.describe(description) as T) : t;
}

/** An integer in [min, max] with a default. */
export function int(def: number, [min, max]: [number, number], description?: string) {
  return doc(z.number().int().min(min).max(max).default(def), description);
}

/** A number in [min, max] with a default. */
export function num(def: number, [min, max]: [number, number], description?: string) {
  return doc(z.number().min(min).max(max).default(def), description);
}

/** A positive number at most `max`, with a default. */
export function positive(def: number, max: number, description?: string) {
  return doc(z.number().positive().max(max).default(def), description);
}

/** A list of L∞ budgets in (0, 1] (pixels in [0, 1]). */
export function epsList(def: number[]) {
  return z.array(z.number().positive().max(1)).default(def);
}

/** A list of attack steps, each in [1, 1000]. */
export function stepList(def: number[]) {
  return z.array(z.number().int().min(1).max(1000)).default(def);
}

/** A pair of conv filter counts, each in [1, 256]. */
export function convPair(def: [number, number]) {
  const filters = z.number().int().min(1).max(256);
  return z.tuple([filters, filters]).default(def);
}

/** An interval [lo, hi] of angles in radians, each within one turn either side of 0. */
export function angleInterval() {
  const angle = z
    .number()
    .min(-2 * Math.PI)
    .max(2 * Math.PI);
  return z.tuple([angle, angle]);
}
