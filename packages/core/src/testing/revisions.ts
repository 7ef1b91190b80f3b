import { expect } from 'vitest';
import type { Verdict } from '../contracts/claim.js';
import type { AnyExperiment } from '../contracts/experiment.js';
import type { ExperimentOutput } from '../contracts/output.js';
import { claimOutput } from '../runs/claims.js';

/** Doctored scalars a rule is judged on. */
type Scalars = ExperimentOutput['scalars'];

/** Verdicts of a revised claim's two rules on doctored scalars (see {@link revisedClaim}). */
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
