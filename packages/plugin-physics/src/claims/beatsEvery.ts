import type { Verdict } from '@paperlab/core';
import { allOf, barVerdict } from '@paperlab/core/kit';

/** One paired gap (baseline − method, over seeds) with its standard error, named for the measured text. */
export interface NamedGap {
  name: string;
  gap: number;
  sem: number;
}

/**
 * Whether every gap exceeds 0 by `k` s.e. (core's {@link barVerdict} on each): reproduced when all do, not
 * reproduced when some gap lies below 0 by `k` s.e., inconclusive otherwise.
 */
export function everyAboveZero(gaps: ReadonlyArray<{ gap: number; sem: number }>, k = 2): Verdict {
  return allOf(gaps.map((p) => barVerdict(p.gap, p.sem, 0, { side: 'above', k })));
}

/**
 * "The method beats every baseline": {@link everyAboveZero} of the gaps (also inconclusive on a missing value);
 * measured lists `<name> <gap> ± <sem>` joined by `separator`.
 */
export function beatsEvery(
  gaps: readonly NamedGap[],
  format: (v: number) => string,
  separator: string,
  k = 2,
): { verdict: Verdict; measured: string } {
  const measured = gaps.map((p) => `${p.name} ${format(p.gap)} ± ${format(p.sem)}`).join(separator);
  return { verdict: everyAboveZero(gaps, k), measured };
}
