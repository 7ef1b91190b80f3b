import { z } from 'zod';
import { formatZodIssues } from '../config/zodIssues.js';
import type { ClaimVerdict, Verdict } from '../contracts/claim.js';
import { ConfigError } from '../util/errors.js';

const verdict = z.enum(['reproduced', 'not-reproduced', 'inconclusive']);

const schema = z.strictObject({
  $comment: z.string().optional(),
  preset: z.string(),
  seed: z.number().int().min(0),
  backend: z.string(),
  /** experiment id → claim id → verdict. */
  experiments: z.record(z.string(), z.record(z.string(), verdict)),
  /** Why the table changed, newest last: every change of a verdict comes with a reason. */
  changes: z.array(z.strictObject({ date: z.string(), reason: z.string().min(3) })).min(1),
});

/** A committed table of the verdict each claim gives on one preset, seed and backend. */
export type ExpectedVerdicts = z.infer<typeof schema>;

/** Validates a parsed expected-verdicts file; errors name the path. */
export function parseExpectedVerdicts(json: unknown, source = 'expected verdicts'): ExpectedVerdicts {
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ConfigError(source, formatZodIssues(parsed.error));
  return parsed.data;
}

/** One difference between a committed verdict table and a run. */
export interface VerdictChange {
  experiment: string;
  claim: string;
  expected: Verdict | '(absent)';
  actual: Verdict | '(absent)';
}

/**
 * Compares the verdicts of runs (experiment id → its claims) with a committed table, in both directions: a claim
 * that changed verdict, appeared, or disappeared is a change. Experiments not in `actual` are not compared.
 */
export function diffVerdicts(
  expected: ExpectedVerdicts,
  actual: Readonly<Record<string, readonly ClaimVerdict[]>>,
): VerdictChange[] {
  const changes: VerdictChange[] = [];
  for (const [experiment, claims] of Object.entries(actual)) {
    const table = expected.experiments[experiment] ?? {};
    const seen = new Set<string>();
    for (const c of claims) {
      seen.add(c.id);
      const e = table[c.id] ?? '(absent)';
      if (e !== c.verdict) changes.push({ experiment, claim: c.id, expected: e, actual: c.verdict });
    }
    for (const [claim, e] of Object.entries(table))
      if (!seen.has(claim)) changes.push({ experiment, claim, expected: e, actual: '(absent)' });
  }
  return changes;
}

/** The table a set of runs gives, keeping the committed header and change log (add a reason for the change). */
export function verdictTable(
  base: Omit<ExpectedVerdicts, 'experiments'>,
  actual: Readonly<Record<string, readonly ClaimVerdict[]>>,
  previous?: ExpectedVerdicts,
): ExpectedVerdicts {
  const experiments: ExpectedVerdicts['experiments'] = { ...(previous?.experiments ?? {}) };
  for (const id of Object.keys(actual).sort())
    experiments[id] = Object.fromEntries(actual[id]!.map((c) => [c.id, c.verdict]));
  const sorted = Object.fromEntries(
    Object.keys(experiments)
      .sort()
      .map((k) => [k, experiments[k]!]),
  );
  return { ...base, experiments: sorted };
}

/** Human lines for a list of changes. */
export function describeVerdictChanges(changes: readonly VerdictChange[]): string {
  return changes
    .map((c) => `  ${c.experiment} ${c.claim}: expected ${c.expected}, got ${c.actual}`)
    .join('\n');
}
