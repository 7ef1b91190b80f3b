import { type AnyExperiment, claimOutput, type ExperimentOutput, type Verdict } from '@paperlab/core';
import { expectClaimCanFail } from '@paperlab/core/testing';
import { expect } from 'vitest';

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

/** Verdicts of a claim's rules on doctored scalars (see {@link revisedClaim}). */
export interface RevisedRules {
  /** The rule in force (the revision). */
  revised(scalars: Scalars): Verdict;
  /** The original, pre-registered rule. */
  original(scalars: Scalars): Verdict;
}

/** Expects claim `id` to carry a revision dated `date`, and returns its revised and original rules as verdicts. */
export function revisedClaim(experiment: AnyExperiment, id: string, date: string): RevisedRules {
  const claim = experiment.claims.find((c) => c.id === id);
  expect(claim, `${experiment.id} claim ${id}`).toBeDefined();
  expect(claim!.revision?.date, `${id} revision date`).toBe(date);
  const revision = claim!.revision!;
  return {
    revised: (scalars) => revision.check(claimOutput({ scalars }), {} as never).verdict,
    original: (scalars) => claim!.check(claimOutput({ scalars }), {} as never).verdict,
  };
}
