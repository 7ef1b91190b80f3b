import type { MeanSem } from '@paperlab/core/kit';

/** Writes a mean ± s.e. as the scalars `<key>` and `<key>_sem`. */
export function putMeanSem<K extends string>(
  scalars: { [P in K | `${K}_sem`]?: number },
  key: K,
  value: MeanSem,
): void {
  scalars[key] = value.mean;
  scalars[`${key}_sem`] = value.sem;
}
