import { type MeanSem, pairedGap } from './summaries.js';

/** Scalar names with their standard errors: `WithSem<'gap'>` is `'gap' | 'gap_sem'`. */
export type WithSem<K extends string> = K | `${K}_sem`;

/** The declared scalar keys that have a declared `${key}_sem` twin. */
export type KeyWithSem<K extends string, All extends string = K> = K extends `${infer P}_sem`
  ? P extends All
    ? P
    : never
  : never;

/** A mean over seeds with its standard error as two scalars, `key` and `key_sem` (to spread into `scalars`). */
export function withSem<K extends string>(
  key: K,
  value: Pick<MeanSem, 'mean' | 'sem'>,
): Record<WithSem<K>, number> {
  return { [key]: value.mean, [`${key}_sem`]: value.sem } as Record<WithSem<K>, number>;
}

/** The paired gap a − b over seeds ({@link pairedGap}) as the scalars `key` and `key_sem`. */
export function gapScalars<K extends string>(
  key: K,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
): Record<WithSem<K>, number> {
  return withSem(key, pairedGap(a, b));
}

/** Writes a mean ± s.e. into a scalar map as `key` and `${key}_sem`; a key without a declared `_sem` twin does not compile. */
export function putMeanSem<K extends string>(
  scalars: { [Q in K]?: number },
  key: NoInfer<KeyWithSem<K>>,
  m: Pick<MeanSem, 'mean' | 'sem'>,
): void {
  Object.assign(scalars, withSem(key, m));
}
