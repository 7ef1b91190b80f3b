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
    /** Scalars every case starts from (a case's own scalars override them). */
    base?: ExperimentOutput['scalars'];
  },
): void {
  const { base, config } = cases;
  const check = (c: ExperimentOutput | ExperimentOutput['scalars']) =>
    checkClaim(experiment, claimId, base ? withBase(base, c) : c, config);
  const p = check(cases.pass);
  expect(p.verdict, `${claimId} on its passing case: ${p.measured}`).toBe('reproduced');
  const f = check(cases.fail);
  expect(f.verdict, `${claimId} on its failing case: ${f.measured}`).toBe('not-reproduced');
  for (const c of cases.inconclusive ?? []) {
    const r = check(c);
    expect(r.verdict, `${claimId} on an inconclusive case: ${r.measured}`).toBe('inconclusive');
  }
}

/** A doctored output with `base` scalars under its own. */
function withBase(
  base: ExperimentOutput['scalars'],
  c: ExperimentOutput | ExperimentOutput['scalars'],
): ExperimentOutput {
  if ('scalars' in c && typeof c.scalars === 'object') {
    const out = c as ExperimentOutput;
    return { ...out, scalars: { ...base, ...out.scalars } };
  }
  return { scalars: { ...base, ...(c as ExperimentOutput['scalars']) } };
}
