import type { Claim } from '@paperlab/core';
import { revise } from '@paperlab/core/kit';

/** Date of the revisions made in the claims pass of issue 9. */
export const ISSUE9 = '2026-12-02';

/** A point compared with a hand-picked epsilon, now judged by ±k standard errors (CLAIMS.md §3). */
export const SEED_SPREAD = { date: ISSUE9, reason: 'tolerance from seed spread, CLAIMS.md §3' } as const;

/** The pre-registered claim (`build(0)`, a point check) revised to ±`k` standard errors of its spread. */
export function bySeedSpread<C, K extends string>(build: (k: number) => Claim<C, K>, k = 2): Claim<C, K> {
  return revise(build(0), { ...SEED_SPREAD, revised: build(k) });
}
