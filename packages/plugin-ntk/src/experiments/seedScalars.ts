import type { MeanSem } from '@paperlab/core/kit';

/** A mean over seeds as two scalars: `<key>` and its standard error `<key>_sem`. */
export function meanSemScalars<K extends string>(
  key: K,
  m: Pick<MeanSem, 'mean' | 'sem'>,
): Record<K | `${K}_sem`, number> {
  return { [key]: m.mean, [`${key}_sem`]: m.sem } as Record<K | `${K}_sem`, number>;
}
