import type { Verdict } from '@paperlab/core';

/** Options of {@link barVerdict}. */
export interface BarRule {
  /** Which side of the bar the claim puts the value on. */
  side: 'above' | 'below';
  /** Standard errors of tolerance (default 2). */
  k?: number;
  /** The side a value exactly at the bar counts for (default: neither, so touching the bar is inconclusive). */
  barCounts?: 'above' | 'below';
}

/**
 * "The mean lies above (below) a bar": reproduced when mean ± k·sem lies wholly on the claimed side, not
 * reproduced when it lies wholly on the other, inconclusive when the interval reaches across the bar.
 */
export function barVerdict(mean: number, sem: number, bar: number, rule: BarRule): Verdict {
  const k = rule.k ?? 2;
  const lo = mean - k * sem;
  const hi = mean + k * sem;
  const above = (v: number) => (rule.barCounts === 'above' ? v >= bar : v > bar);
  const below = (v: number) => (rule.barCounts === 'below' ? v <= bar : v < bar);
  const [pass, fail] = rule.side === 'above' ? [above(lo), below(hi)] : [below(hi), above(lo)];
  return pass ? 'reproduced' : fail ? 'not-reproduced' : 'inconclusive';
}
