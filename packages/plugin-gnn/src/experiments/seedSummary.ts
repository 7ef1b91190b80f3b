import { type MeanSem, meanSem } from '@paperlab/core/kit';

/** The declared scalar keys that have a declared `${key}_sem` twin. */
export type KeyWithSem<K extends string, All extends string = K> = K extends `${infer P}_sem`
  ? P extends All
    ? P
    : never
  : never;

/** Writes a mean ± s.e. over seeds into the scalars as `key` and `${key}_sem`. */
export function putMeanSem<K extends string>(
  scalars: { [Q in K]?: number },
  key: NoInfer<KeyWithSem<K>>,
  m: Pick<MeanSem, 'mean' | 'sem'>,
): void {
  const out = scalars as Record<string, number>;
  out[key] = m.mean;
  out[`${key}_sem`] = m.sem;
}

/** A group's cells (seeds or folds) as accuracy-table fields: test accuracy mean ± s.e. and mean train accuracy. */
export function accuracyRow(cells: ReadonlyArray<{ test: number; train: number }>): {
  test: number;
  sem: number;
  train: number;
} {
  const m = meanSem(cells.map((r) => r.test));
  return { test: m.mean, sem: m.sem, train: meanSem(cells.map((r) => r.train)).mean };
}
