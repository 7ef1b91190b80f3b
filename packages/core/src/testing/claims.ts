import { expect } from 'vitest';
import type { ClaimResult } from '../contracts/claim.js';
import type { AnyExperiment } from '../contracts/experiment.js';
import type { ExperimentOutput } from '../contracts/output.js';
import { claimOutput } from '../runs/claims.js';

/** Checks one claim of an experiment against a doctored output (scalars, and series/tables when given). */
export function checkClaim(
  experiment: AnyExperiment,
  claimId: string,
  output: ExperimentOutput | ExperimentOutput['scalars'],
  config: unknown = {},
): ClaimResult {
  const claim = experiment.claims.find((c) => c.id === claimId);
  if (!claim)
    throw new Error(
      `${experiment.id} has no claim '${claimId}' (has ${experiment.claims.map((c) => c.id).join(', ')})`,
    );
  const out =
    'scalars' in output && typeof output.scalars === 'object'
      ? (output as ExperimentOutput)
      : { scalars: output as ExperimentOutput['scalars'] };
  try {
    return claim.check(claimOutput(out), config);
  } catch (err) {
    return { verdict: 'inconclusive', measured: String(err), expected: '' };
  }
}

/**
 * A claim that cannot fail is not a claim: asserts the claim gives `reproduced` on `pass` and `not-reproduced` on
 * `fail` (doctored outputs on both sides of its rule), and `inconclusive` on each of `inconclusive` if given.
 */
export function expectClaimCanFail(
  experiment: AnyExperiment,
  claimId: string,
  cases: {
    pass: ExperimentOutput | ExperimentOutput['scalars'];
    fail: ExperimentOutput | ExperimentOutput['scalars'];
    inconclusive?: Array<ExperimentOutput | ExperimentOutput['scalars']>;
    config?: unknown;
  },
): void {
  const p = checkClaim(experiment, claimId, cases.pass, cases.config);
  expect(p.verdict, `${claimId} on its passing case: ${p.measured}`).toBe('reproduced');
  const f = checkClaim(experiment, claimId, cases.fail, cases.config);
  expect(f.verdict, `${claimId} on its failing case: ${f.measured}`).toBe('not-reproduced');
  for (const c of cases.inconclusive ?? []) {
    const r = checkClaim(experiment, claimId, c, cases.config);
    expect(r.verdict, `${claimId} on an inconclusive case: ${r.measured}`).toBe('inconclusive');
  }
}
