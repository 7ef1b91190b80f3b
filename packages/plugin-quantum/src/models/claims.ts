import type { Claim, ClaimRule } from '@paperlab/core';
import { type ClaimBase, type ClaimValue, custom, points, type ScalarView } from '@paperlab/core/kit';

/** Options of {@link notWorseThan}. */
export interface NotWorseSpec<C, K extends string> extends ClaimBase<C, K> {
  /** The paired gap A − B over seeds (positive: A better). */
  gap: ClaimValue<C, K>;
  /** Its standard error. */
  sem: ClaimValue<C, K>;
  /** The config key holding the deficit (a fraction) still counted as "not worse". */
  tolerance: keyof C & string;
  /** Standard errors of tolerance (default 2). */
  k?: number;
  /** Names of the two sides, e.g. `hybrid` and `its parameter-matched classical twin`. */
  a: string;
  b: string;
  /** The measured column before the paired gap (accuracies, weights, seeds). */
  measured: (s: ScalarView<K>, config: C) => string;
  /** Extra words for the rule, e.g. the paper's number. */
  note?: string;
  /** Further rule parameters (minimum run sizes of the preconditions). */
  params?: ClaimRule['params'];
}

/**
 * Non-inferiority, "A is not worse than B": reproduced when the paired gap A − B ≥ −max(tolerance, k·s.e.) —
 * any deficit lies within the tolerance or within the noise — and not reproduced otherwise (one-sided).
 */
export function notWorseThan<C, K extends string>(spec: NotWorseSpec<C, K>): Claim<C, K> {
  const { gap, sem, tolerance, k = 2, a, b, measured, note, params, ...base } = spec;
  const text = (tol: string) =>
    `${a} no more than max(${tol}, ${k} paired s.e.) below ${b}${note ? ` (${note})` : ''}`;
  return custom<C, K>({
    ...base,
    rule: {
      type: 'not-worse',
      text: text(tolerance),
      params: { k, tolerance: `config.${tolerance}`, ...params },
    },
    check: (s, cfg, out) => {
      const read = (v: ClaimValue<C, K>) => (typeof v === 'function' ? v(s, cfg, out) : s[v]);
      const [g, e, tol] = [read(gap), read(sem), cfg[tolerance] as number];
      return {
        verdict: g >= -Math.max(tol, k * e) ? 'reproduced' : 'not-reproduced',
        measured: `${measured(s, cfg)}: paired gap ${points(g, e)}`,
        expected: text(points(tol)),
      };
    },
  });
}
