import { type MeanSem, pairedGap } from '@paperlab/core/kit';

/** Scalar names with their standard errors: `WithSem<'gap'>` is `'gap' | 'gap_sem'`. */
export type WithSem<K extends string> = K | `${K}_sem`;

/** A mean over seeds with its standard error as two scalars, `key` and `key_sem`. */
export function withSem<K extends string>(key: K, value: MeanSem): Record<WithSem<K>, number> {
  return { [key]: value.mean, [`${key}_sem`]: value.sem } as Record<WithSem<K>, number>;
}

/** The paired gap a − b over seeds (core's `pairedGap`) as the scalars `key` and `key_sem`. */
export function gapScalars<K extends string>(
  key: K,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
): Record<WithSem<K>, number> {
  return withSem(key, pairedGap(a, b));
}
