import type { Rng } from '@paperlab/core';
import { std } from '@paperlab/core/kit';

/** Bootstrap standard error of a statistic: its standard deviation over `resamples` resamples with replacement. */
export function bootstrapSe(
  rng: Rng,
  x: ArrayLike<number>,
  statistic: (sample: Float64Array) => number,
  resamples: number,
): number {
  const values: number[] = [];
  const y = new Float64Array(x.length);
  for (let k = 0; k < resamples; k++) {
    for (let i = 0; i < x.length; i++) y[i] = x[rng.int(x.length)]!;
    values.push(statistic(y));
  }
  return std(values);
}
