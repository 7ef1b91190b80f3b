import type { ExperimentOutput } from './output.js';

/** Outcome of checking one claim against one run. */
export type Verdict = 'reproduced' | 'not-reproduced' | 'inconclusive';

/** What a claim's check reports: the verdict and the numbers behind it. */
export interface ClaimResult {
  verdict: Verdict;
  /** What this run measured, with numbers (e.g. `slope = -0.48 ± 0.05`). */
  measured: string;
  /** What the paper reports or the claim requires (e.g. `slope ≈ -0.5 (in [-0.7, -0.3])`). */
  expected: string;
}

/** A paper's headline result stated as a check that can fail. */
export interface Claim<C = unknown> {
  /** Short kebab-case id, unique within the experiment. */
  id: string;
  /** The claim in words, e.g. "NTK deviation shrinks as width^-1/2". */
  statement: string;
  /** Reads the run's output (and resolved config) and returns the verdict with measured/expected values. */
  check(out: ExperimentOutput, config: C): ClaimResult;
}

/** A claim's result as recorded with a run. */
export interface ClaimVerdict extends ClaimResult {
  id: string;
  statement: string;
}
