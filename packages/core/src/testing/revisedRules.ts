import type { AnyExperiment } from '../contracts/experiment.js';

/**
 * The experiment as judged by its revised rules: each revised claim's rule and check replaced by its revision's
 * (to test a revised claim's rule now in force with {@link expectClaimCanFail}).
 */
export function underRevisedRules<E extends AnyExperiment>(experiment: E): E {
  const claims = experiment.claims.map((c) =>
    c.revision ? { ...c, rule: c.revision.rule, check: c.revision.check } : c,
  );
  return { ...experiment, claims };
}
