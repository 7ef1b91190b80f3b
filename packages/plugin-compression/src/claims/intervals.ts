import type { Verdict } from '@paperlab/core';
import { barVerdict } from '@paperlab/core/kit';

/**
 * A trade-off claim: a condition (smaller, sparser…) that must hold, and an accuracy gap that must stay above
 * `margin` by k s.e. (core's `barVerdict`). Not reproduced when the condition fails or the gap lies wholly below the margin; reproduced
 * when it lies wholly above; inconclusive when it straddles the margin.
 */
export function conditionAndGapVerdict(
  condition: boolean,
  gap: number,
  sem: number,
  margin: number,
  k = 2,
): Verdict {
  return condition ? barVerdict(gap, sem, margin, { side: 'above', k }) : 'not-reproduced';
}
