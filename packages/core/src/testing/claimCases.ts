import type { AnyExperiment } from '../contracts/experiment.js';
import type { ExperimentOutput } from '../contracts/output.js';
import { expectClaimCanFail } from './claims.js';

/** Doctored scalars of a claim case. */
type Scalars = ExperimentOutput['scalars'];

/** A paired gap and its standard error. */
export type GapSem = readonly [gap: number, sem: number];

/** The doctored cases of a claim judged by a paired gap `<gap>` ± `<gap>_sem` (see {@link gapClaims}). */
export interface GapCases {
  /** Gap and s.e. that reproduce. */
  pass: GapSem;
  /** Gap and s.e. that do not (default: the passing gap negated). */
  fail?: GapSem;
  /** Gap and s.e. straddling the margin: inconclusive. */
  straddle?: GapSem;
  /** More inconclusive cases, as scalars over the passing case (too few seeds, an untrained model…). */
  inconclusive?: Scalars[];
}

/**
 * The "A beats B" (or "A keeps up with B") claims of one experiment, judged by paired gaps, every case over the
 * same `base` scalars: `check(id, gap, cases)` expects the passing gap to reproduce and the failing one not to, and
 * the straddling gap and every case of `inconclusive` (set over the passing gap) to be inconclusive.
 */
export function gapClaims(
  experiment: AnyExperiment,
  base: Scalars = {},
): (id: string, gap: string, cases: GapCases) => void {
  return (id, gap, c) => {
    const at = ([g, sem]: GapSem): Scalars => ({ [gap]: g, [`${gap}_sem`]: sem });
    const pass = at(c.pass);
    expectClaimCanFail(experiment, id, {
      base,
      pass,
      fail: at(c.fail ?? [-c.pass[0], c.pass[1]]),
      inconclusive: [
        ...(c.straddle ? [at(c.straddle)] : []),
        ...(c.inconclusive ?? []).map((o) => ({ ...pass, ...o })),
      ],
    });
  };
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
