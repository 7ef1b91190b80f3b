import { mean } from '@paperlab/core/kit';

/** Excess kurtosis m₄/m₂² − 3 of a sample (population moments; 0 for a Gaussian, 6/(ν − 4) for Student-t_ν). */
export function excessKurtosis(x: ArrayLike<number>): number {
  const m = mean(x);
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! - m;
    m2 += d * d;
    m4 += d ** 4;
  }
  m2 /= x.length;
  m4 /= x.length;
  return m4 / (m2 * m2) - 3;
}
