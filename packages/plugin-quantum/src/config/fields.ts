import { z } from '@paperlab/core';

/** Config-field shorthands shared by the papers: one line per field instead of a long zod chain. */

function doc<T extends z.ZodType>(t: T, description?: string): T {
  return description ? (t.describe(description) as T) : t;
}

/** An integer in [min, max] (max optional) with a default. */
export function int(def: number, [min, max]: [number, number?], description?: string) {
  const base = z.number().int().min(min);
  return doc((max === undefined ? base : base.max(max)).default(def), description);
}

/** A number in [min, max] (max optional) with a default. */
export function num(def: number, [min, max]: [number, number?], description?: string) {
  const base = z.number().min(min);
  return doc((max === undefined ? base : base.max(max)).default(def), description);
}

/** A positive number with a default. */
export function positive(def: number, description?: string) {
  return doc(z.number().positive().default(def), description);
}
