import type { Verdict } from '@paperlab/core';

/**
 * Where value ± k·sem lies against [lo, hi]: wholly inside reproduces, wholly outside does not, straddling an end
 * is inconclusive (core's `inRange` rule, for custom checks that also write their own measured text).
 */
export function intervalVerdict(value: number, sem: number, lo: number, hi: number, k = 2): Verdict {
  const [a, b] = [value - k * sem, value + k * sem];
  return a >= lo && b <= hi ? 'reproduced' : b < lo || a > hi ? 'not-reproduced' : 'inconclusive';
}

/**
 * A trade-off claim: a condition (smaller, sparser…) that must hold, and an accuracy gap that must stay above
 * `margin` by k s.e. Not reproduced when the condition fails or the gap lies wholly below the margin; reproduced
 * when it lies wholly above; inconclusive when it straddles the margin.
 */
export function conditionAndGapVerdict(
  condition: boolean,
  gap: number,
  sem: number,
  margin: number,
  k = 2,
): Verdict {
  if (!condition || gap + k * sem < margin) return 'not-reproduced';
  return gap - k * sem > margin ? 'reproduced' : 'inconclusive';
}
