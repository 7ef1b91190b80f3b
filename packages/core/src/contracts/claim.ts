import type { ClaimOutput } from './output.js';

/** Outcome of checking one claim against one run. */
export type Verdict = 'reproduced' | 'not-reproduced' | 'inconclusive';

/**
 * `paper`: a result the paper states (quoted, with its place); `control`: a check the reproduction adds to make
 * the paper claims trustworthy (identities, "the baseline trains", positive controls). Counted apart.
 */
export type ClaimKind = 'paper' | 'control';

/** What a claim's check reports: the verdict and the numbers behind it. */
export interface ClaimResult {
  verdict: Verdict;
  /** What this run measured, with numbers (e.g. `slope = -0.48 ± 0.05 (N = 5 seeds)`). */
  measured: string;
  /** What the paper reports or the rule requires (e.g. `slope in [-0.7, -0.3]`). */
  expected: string;
}

/** Where a paper claim comes from: the paper's words (a short paraphrase is fine), its place and number. */
export interface ClaimSource {
  /** The statement as the paper makes it. */
  quote: string;
  /** Section, table, figure or "abstract". */
  where: string;
  /** The paper's own number, when it gives one (e.g. `99.38% vs 98.21%`). */
  value?: string;
  /** How the claim is restated at CPU scale (e.g. "the ordering of β, not its value"). */
  restated?: string;
}

/** A claim's rule as data: fixed before the paper-preset run that judges it. */
export interface ClaimRule {
  /** The rule's family: `range`, `beats`, `slope`, `custom`, … */
  type: string;
  /** The rule in words, as the `expected` column shows it. */
  text: string;
  /** Thresholds and sizes (range, margin, k, minimum seeds, …). */
  params?: Record<string, number | string | boolean | readonly number[] | null>;
}

/** A rule changed after a paper-preset run had been seen: the new rule, why, and when. */
export interface ClaimRevision<C = unknown, K extends string = string> {
  /** ISO date of the change. */
  date: string;
  /** One line: why the rule changed. */
  reason: string;
  /** The rule now in force. */
  rule: ClaimRule;
  /** Checks the run against the revised rule. */
  check(out: ClaimOutput<K>, config: C): ClaimResult;
}

/** A paper's headline result (or a control) stated as a check that can fail. */
export interface Claim<C = unknown, K extends string = string> {
  /** Short kebab-case id, unique within the experiment. */
  id: string;
  /** The claim in words, e.g. "NTK deviation shrinks as width^-1/2". */
  statement: string;
  /** Paper claim or control; counted apart everywhere (a claim without one is counted as a paper claim). */
  kind?: ClaimKind;
  /** The paper's statement and its place (required for `paper` claims). */
  source?: ClaimSource;
  /** The pre-registered rule as data. */
  rule?: ClaimRule;
  /** Reads the run's output (and resolved config) and returns the verdict under `rule`. */
  check(out: ClaimOutput<K>, config: C): ClaimResult;
  /** Set when the rule was changed after a paper-preset run: both verdicts are reported. */
  revision?: ClaimRevision<C, K>;
}

/** A claim's result as recorded with a run. */
export interface ClaimVerdict extends ClaimResult {
  id: string;
  statement: string;
  /** Absent in records written before claim kinds existed (read as `paper`). */
  kind?: ClaimKind;
  /** The paper's statement and place, for paper claims. */
  source?: ClaimSource;
  /** The rule the verdict was judged by. */
  rule?: ClaimRule;
  /** For a revised claim: the verdict under the original, pre-registered rule (the top-level verdict is the revised one). */
  original?: ClaimResult & { rule: ClaimRule; revisedOn: string; reason: string };
}
