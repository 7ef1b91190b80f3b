import { meanSem } from '@paperlab/core/kit';

/** A group's cells (seeds or folds) as accuracy-table fields: test accuracy mean ± s.e. and mean train accuracy. */
export function accuracyRow(cells: ReadonlyArray<{ test: number; train: number }>): {
  test: number;
  sem: number;
  train: number;
} {
  const m = meanSem(cells.map((r) => r.test));
  return { test: m.mean, sem: m.sem, train: meanSem(cells.map((r) => r.train)).mean };
}
