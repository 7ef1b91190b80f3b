import type { ClaimResult, ClaimVerdict } from '../contracts/claim.js';
import type { AnyExperiment } from '../contracts/experiment.js';
import type { ClaimOutput, ExperimentOutput } from '../contracts/output.js';
import { MissingScalarError } from '../util/errors.js';
import type { RunResult } from './record.js';

/** Wraps an output for claim checks: `scalars` throws {@link MissingScalarError} on a missing or non-finite key. */
export function claimOutput<K extends string>(output: ExperimentOutput<K>): ClaimOutput<K> {
  const raw = output.scalars as Record<string, number | undefined>;
  const scalars = new Proxy(raw, {
    get(target, key) {
      if (typeof key !== 'string') return undefined;
      const v = target[key];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new MissingScalarError(key, v);
      return v;
    },
  }) as Readonly<Record<K, number>>;
  return { scalars, raw: output.scalars, series: output.series ?? {}, tables: output.tables ?? [] };
}

function safely(check: () => ClaimResult): ClaimResult {
  try {
    return check();
  } catch (err) {
    if (err instanceof MissingScalarError)
      return {
        verdict: 'inconclusive',
        measured: `not measured: ${err.message}`,
        expected: '(needs that scalar)',
      };
    return {
      verdict: 'inconclusive',
      measured: `check failed: ${err instanceof Error ? err.message : String(err)}`,
      expected: '(could not evaluate)',
    };
  }
}

/**
 * Evaluates every claim: a check that throws is inconclusive (a missing scalar is named); a revised claim reports
 * the revised verdict and, beside it, the verdict under its original rule.
 */
export function evaluateClaims(
  experiment: AnyExperiment,
  output: ExperimentOutput,
  config: unknown,
): ClaimVerdict[] {
  const input = claimOutput(output);
  return experiment.claims.map((claim) => {
    const first = safely(() => claim.check(input, config));
    const base = {
      id: claim.id,
      statement: claim.statement,
      kind: claim.kind ?? ('paper' as const),
      ...(claim.rule ? { rule: claim.rule } : {}),
    };
    const withSource = claim.source ? { ...base, source: claim.source } : base;
    if (!claim.revision) return { ...withSource, ...first };
    const revision = claim.revision;
    const revised = safely(() => revision.check(input, config));
    return {
      ...withSource,
      ...revised,
      rule: revision.rule,
      original: {
        ...first,
        rule: claim.rule ?? { type: 'custom', text: first.expected },
        revisedOn: revision.date,
        reason: revision.reason,
      },
    };
  });
}

/** Verdict counts of one kind of claim. */
export interface VerdictCounts {
  reproduced: number;
  notReproduced: number;
  inconclusive: number;
  total: number;
  /** Of these, claims judged by a revised rule (and how many of them reproduced). */
  revised: number;
  revisedReproduced: number;
}

function count(claims: ClaimVerdict[]): VerdictCounts {
  const revised = claims.filter((c) => c.original !== undefined);
  return {
    reproduced: claims.filter((c) => c.verdict === 'reproduced').length,
    notReproduced: claims.filter((c) => c.verdict === 'not-reproduced').length,
    inconclusive: claims.filter((c) => c.verdict === 'inconclusive').length,
    total: claims.length,
    revised: revised.length,
    revisedReproduced: revised.filter((c) => c.verdict === 'reproduced').length,
  };
}

/** Counts verdicts, paper claims and controls apart (records without kinds count as paper claims). */
export function summarise(claims: ClaimVerdict[]): RunResult['summary'] {
  const all = count(claims);
  return {
    reproduced: all.reproduced,
    notReproduced: all.notReproduced,
    inconclusive: all.inconclusive,
    total: all.total,
    paper: count(claims.filter((c) => (c.kind ?? 'paper') === 'paper')),
    control: count(claims.filter((c) => c.kind === 'control')),
  };
}

/** "paper claims 9/20 reproduced (2 after revision), 3 inconclusive · controls 11/12" */
export function formatCounts(summary: RunResult['summary']): string {
  const paper = summary.paper ?? { ...summary, revised: 0, revisedReproduced: 0 };
  const control = summary.control;
  let text = `paper claims ${paper.reproduced}/${paper.total} reproduced`;
  if (paper.revisedReproduced > 0) text += ` (${paper.revisedReproduced} after revision)`;
  if (paper.inconclusive > 0) text += `, ${paper.inconclusive} inconclusive`;
  if (control && control.total > 0) {
    text += ` · controls ${control.reproduced}/${control.total}`;
    if (control.inconclusive > 0) text += ` (${control.inconclusive} inconclusive)`;
  }
  return text;
}
