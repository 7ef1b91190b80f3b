import type { AnyExperiment, ExperimentOutput, Verdict } from '@paperlab/core';
import { checkClaim, expectClaimCanFail, underRevisedRules } from '@paperlab/core/testing';
import { expect } from 'vitest';

/** Doctored scalars of a claim test. */
export type DoctoredScalars = Record<string, number>;

/** The cases {@link expectClaimCanFail} takes. */
export type ClaimCases = Parameters<typeof expectClaimCanFail>[2];

/** Pass and fail cases over shared scalars, and the passing case made too small a run by each of `tooSmall`. */
export function casesOver(
  base: DoctoredScalars,
  pass: DoctoredScalars,
  fail: DoctoredScalars,
  tooSmall: readonly DoctoredScalars[] = [],
): ClaimCases {
  return { base, pass, fail, inconclusive: tooSmall.map((small) => ({ ...pass, ...small })) };
}

/**
 * The claim can pass, fail and be inconclusive under its pre-registered rule and under the revised rule now in
 * force: the same cases for both, or cases built per experiment (`exp` itself, then its revised form).
 */
export function expectBothRulesCanFail(
  exp: AnyExperiment,
  claimId: string,
  cases: ClaimCases | ((e: AnyExperiment, revised: boolean) => ClaimCases),
): void {
  for (const [e, revised] of [
    [exp, false],
    [underRevisedRules(exp), true],
  ] as const)
    expectClaimCanFail(e, claimId, typeof cases === 'function' ? cases(e, revised) : cases);
}

/** Expects one verdict of a claim on doctored output (its measured text as the message). */
export function expectVerdict(
  exp: AnyExperiment,
  claimId: string,
  output: ExperimentOutput | ExperimentOutput['scalars'],
  verdict: Verdict,
): void {
  const r = checkClaim(exp, claimId, output);
  expect(r.verdict, `${claimId}: ${r.measured}`).toBe(verdict);
}
