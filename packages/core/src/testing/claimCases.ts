import type { AnyExperiment } from '../contracts/experiment.js';
import type { ExperimentOutput } from '../contracts/output.js';
import { expectClaimCanFail } from './claims.js';

/** Doctored scalars of a claim case. */
type Scalars = ExperimentOutput['scalars'];

/** A paired gap and its standard error. */
export type GapSem = readonly [gap: number, sem: number];

/** The doctored cases of a claim judged by a mean or paired gap `<key>` ± `<key>_sem` (see {@link expectGapClaim}). */
export interface GapCases {
  /** Gap and s.e. that reproduce. */
  pass: GapSem;
  /** Gap and s.e. that do not (default: the passing gap negated). */
  fail?: GapSem;
  /** Gap and s.e. straddling the margin or bar: inconclusive. */
  straddle?: GapSem;
  /** More inconclusive cases, as scalars over the passing case (too few seeds, an untrained model…). */
  inconclusive?: Scalars[];
  /** Scalars that follow from the judged gap (those the claim's measured text reads). */
  derived?: (gap: number, sem: number) => Scalars;
}

/** {@link GapCases} with the judged scalar and the scalars every case starts from. */
export interface GapClaimCases extends GapCases {
  /** The judged scalar; its standard error is `${key}_sem`. */
  key: string;
  /** Scalars every case starts from. */
  base?: Scalars;
}

/**
 * A claim judged by `<key>` ± k·`<key>_sem` against a margin or bar ("A beats B", "the mean stays above …") can
 * fail: the passing gap reproduces, the failing one does not, and the straddling gap and every `inconclusive` case
 * (set over the passing gap) are inconclusive.
 */
export function expectGapClaim(experiment: AnyExperiment, id: string, c: GapClaimCases): void {
  const at = ([g, sem]: GapSem, extra: Scalars = {}): Scalars => ({
    ...c.derived?.(g, sem),
    [c.key]: g,
    [`${c.key}_sem`]: sem,
    ...extra,
  });
  expectClaimCanFail(experiment, id, {
    ...(c.base ? { base: c.base } : {}),
    pass: at(c.pass),
    fail: at(c.fail ?? [-c.pass[0], c.pass[1]]),
    inconclusive: [
      ...(c.straddle ? [at(c.straddle)] : []),
      ...(c.inconclusive ?? []).map((o) => at(c.pass, o)),
    ],
  });
}

/**
 * The gap claims of one experiment over the same `base` scalars: `check(id, key, cases)` is
 * {@link expectGapClaim} with that base.
 */
export function gapClaims(
  experiment: AnyExperiment,
  base: Scalars = {},
): (id: string, key: string, cases: GapCases) => void {
  return (id, key, c) => expectGapClaim(experiment, id, { ...c, key, base });
}

/**
 * Claims that read one scalar against a threshold (most controls): each `[key, passing, failing]` reproduces on
 * the passing value alone and does not on the failing one.
 */
export function expectThresholdClaims(
  experiment: AnyExperiment,
  claims: Record<string, readonly [key: string, pass: number, fail: number]>,
): void {
  for (const [id, [key, pass, fail]] of Object.entries(claims))
    expectClaimCanFail(experiment, id, { pass: { [key]: pass }, fail: { [key]: fail } });
}
