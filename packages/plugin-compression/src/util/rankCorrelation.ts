import { spearman as rankCorrelation } from '@paperlab/core/kit';

export { ranks } from '@paperlab/core/kit';

/**
 * Spearman's rank correlation of two equally long samples (core's {@link rankCorrelation}), 0 rather than NaN when
 * either sample is constant; fewer than two values are an error.
 */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length < 2)
    throw new RangeError(`spearman: needs two samples of equal length ≥ 2`);
  const r = rankCorrelation(a, b);
  return Number.isNaN(r) ? 0 : r;
}
