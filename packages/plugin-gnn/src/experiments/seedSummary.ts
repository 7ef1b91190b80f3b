import type { MeanSem } from '@paperlab/core/kit';

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
