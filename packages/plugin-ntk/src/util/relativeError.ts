import { mean } from '@paperlab/core/kit';
import { frobenius, frobeniusDiff } from '@paperlab/core/linalg';

/** Relative Frobenius distance ‖a − ref‖/‖ref‖ of two equally sized host arrays (‖ref‖ floored at 1e-12). */
export function relativeError(a: ArrayLike<number>, ref: ArrayLike<number>): number {
  return frobeniusDiff(a, ref) / Math.max(frobenius(ref), 1e-12);
}

/**
 * How sampling noise averages away: the relative error of the mean of `samples` against `ref`, and the root mean
 * square of the samples' own relative errors (for unbiased samples the first is ≈ the second / √count).
 */
export function averagedError(
  samples: ReadonlyArray<ArrayLike<number>>,
  ref: ArrayLike<number>,
): { ofMean: number; rmsSingle: number } {
  const avg = new Float64Array(ref.length);
  for (const s of samples) for (let i = 0; i < avg.length; i++) avg[i]! += s[i]! / samples.length;
  const singles = samples.map((s) => relativeError(s, ref));
  return { ofMean: relativeError(avg, ref), rmsSingle: Math.sqrt(mean(singles.map((e) => e * e))) };
}
