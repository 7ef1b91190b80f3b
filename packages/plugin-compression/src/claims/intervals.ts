import type { Verdict } from '@paperlab/core';

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
