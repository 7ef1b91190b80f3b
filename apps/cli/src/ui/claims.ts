import type { ClaimVerdict, Verdict } from '@paperlab/core';
import { claimsByKind, formatCounts, summarise } from '@paperlab/core/runs';
import { EXIT } from '../exit.js';
import { style, textTable } from './format.js';

const VERDICT: Record<Verdict, [string, 'green' | 'red' | 'yellow']> = {
  reproduced: ['✔ reproduced', 'green'],
  'not-reproduced': ['✘ not reproduced', 'red'],
  inconclusive: ['? inconclusive', 'yellow'],
};

/** A verdict as a coloured word (`✔ reproduced`). */
export function verdictWord(v: Verdict): string {
  const [text, colour] = VERDICT[v];
  return style(text, colour);
}

/** A claim's verdict; for a revised claim, the revised one plus `original rule: <verdict>`. */
export function verdictText(c: ClaimVerdict): string {
  const now = verdictWord(c.verdict);
  return c.original ? `${now} (revised; original rule: ${verdictWord(c.original.verdict)})` : now;
}

/** Where the paper states a claim, with its number: `Table 2, 99.4%` (empty for controls). */
export function sourcePlace(c: ClaimVerdict): string {
  if (!c.source) return '';
  return c.source.value ? `${c.source.where}, ${c.source.value}` : c.source.where;
}

/** One line per revised claim: when, why, and the original rule with its verdict. */
export function revisionLines(claims: readonly ClaimVerdict[], prefix = ''): string[] {
  return claims
    .filter((c) => c.original)
    .map(
      (c) =>
        `${prefix}${c.id}: rule revised ${c.original!.revisedOn} (${c.original!.reason}); original rule "${c.original!.rule.text}" → ${c.original!.verdict}, measured ${c.original!.measured}`,
    );
}

/**
 * The claims of one run as text: a "Paper claims" table (each with the paper's place) and then a "Controls"
 * table, revised claims noted under them, and the counts line. Records without kinds show as paper claims.
 */
export function claimsText(claims: readonly ClaimVerdict[]): string[] {
  const { paper, control } = claimsByKind([...claims]);
  const lines: string[] = [];
  if (paper.length) {
    lines.push(style('Paper claims', 'bold'));
    lines.push(
      textTable(
        ['claim', 'paper', 'verdict', 'measured', 'expected'],
        paper.map((c) => [c.id, sourcePlace(c), verdictText(c), c.measured, c.expected]),
        { priority: [10, 2, 9, 5, 1] },
      ),
    );
  }
  if (control.length) {
    if (lines.length) lines.push('');
    lines.push(`${style('Controls', 'bold')} (checks this reproduction adds; not the paper's results)`);
    lines.push(
      textTable(
        ['claim', 'verdict', 'measured', 'expected'],
        control.map((c) => [c.id, verdictText(c), c.measured, c.expected]),
        { priority: [10, 9, 5, 1] },
      ),
    );
  }
  const revised = revisionLines(claims, '  ');
  if (revised.length)
    lines.push('', 'Revised rules (verdicts above are under the revised rule):', ...revised);
  if (lines.length) lines.push('');
  lines.push(`${formatCounts(summarise([...claims]))}.`);
  return lines;
}

/** `paper/total` of paper claims, and ` · c r/n` for controls when there are any: `3/5 · c 2/2`. */
export function shortCounts(claims: readonly ClaimVerdict[]): string {
  const s = summarise([...claims]);
  const paper = s.paper!;
  const control = s.control!;
  const p = `${paper.reproduced}/${paper.total}`;
  return control.total > 0 ? `${p} · c ${control.reproduced}/${control.total}` : p;
}

/** What `--strict` and `--strict-inconclusive` ask for. */
export interface StrictOptions {
  /** Fail (exit 3) when a claim is not reproduced. */
  strict?: boolean | undefined;
  /** Also fail (exit 5) when a claim is inconclusive; implies `strict`. */
  strictInconclusive?: boolean | undefined;
}

/**
 * The exit code the verdicts give under the strict options: 3 when a claim (paper or control) is not reproduced
 * (`--strict` or `--strict-inconclusive`), 5 when none failed but one is inconclusive (`--strict-inconclusive`),
 * else 0. Inconclusive claims never fail plain `--strict`.
 */
export function strictExit(claims: readonly ClaimVerdict[], o: StrictOptions): number {
  if (!o.strict && !o.strictInconclusive) return EXIT.ok;
  if (claims.some((c) => c.verdict === 'not-reproduced')) return EXIT.notReproduced;
  if (o.strictInconclusive && claims.some((c) => c.verdict === 'inconclusive')) return EXIT.inconclusive;
  return EXIT.ok;
}
