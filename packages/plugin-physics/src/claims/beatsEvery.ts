import type { Verdict } from '@paperlab/core';

/** One paired gap (baseline − method, over seeds) with its standard error, named for the measured text. */
export interface NamedGap {
  name: string;
  gap: number;
  sem: number;
}

/**
 * "The method beats every baseline": reproduced when every gap exceeds 0 by `k` s.e., not reproduced when some
 * gap is below 0 by `k` s.e., inconclusive otherwise (also on a missing value); measured lists
 * `<name> <gap> ± <sem>` joined by `separator`.
 */
export function beatsEvery(
  gaps: readonly NamedGap[],
  format: (v: number) => string,
  separator: string,
  k = 2,
): { verdict: Verdict; measured: string } {
  const measured = gaps.map((p) => `${p.name} ${format(p.gap)} ± ${format(p.sem)}`).join(separator);
  const verdict = gaps.some((p) => p.gap + k * p.sem < 0)
    ? 'not-reproduced'
    : gaps.every((p) => p.gap - k * p.sem > 0)
      ? 'reproduced'
      : 'inconclusive';
  return { verdict, measured };
}
