import type { Claim, ClaimKind, ClaimResult, ClaimRule, ClaimSource, Verdict } from '../contracts/claim.js';
import type { ClaimOutput } from '../contracts/output.js';
import { fmt, interval, pm } from './format.js';

/** The strict scalar view a claim reads. */
export type ScalarView<K extends string> = Readonly<Record<K, number>>;

/** A number a claim reads: a scalar key, or a function of the scalars, config and output. */
export type ClaimValue<C, K extends string> =
  | K
  | ((s: ScalarView<K>, config: C, out: ClaimOutput<K>) => number);

/**
 * A precondition: returns the reason the claim cannot be judged (run too small, a model did not train, the
 * component under test is off) — then the claim is inconclusive — or nothing when the claim may be judged.
 */
export type Precondition<C, K extends string> = (
  s: ScalarView<K>,
  config: C,
  out: ClaimOutput<K>,
) => string | undefined | false;

/** What every claim states: id, words, kind, source and preconditions. */
export interface ClaimBase<C, K extends string> {
  id: string;
  statement: string;
  kind: ClaimKind;
  /** Required for paper claims: the paper's statement, place and number. */
  source?: ClaimSource;
  /** Checked first, in order; the first reason returned makes the claim inconclusive. */
  requires?: ReadonlyArray<Precondition<C, K>>;
}

function read<C, K extends string>(
  v: ClaimValue<C, K>,
  s: ScalarView<K>,
  cfg: C,
  out: ClaimOutput<K>,
): number {
  return typeof v === 'function' ? v(s, cfg, out) : s[v];
}

function blocked<C, K extends string>(
  requires: ReadonlyArray<Precondition<C, K>> | undefined,
  s: ScalarView<K>,
  cfg: C,
  out: ClaimOutput<K>,
): string | undefined {
  for (const r of requires ?? []) {
    const reason = r(s, cfg, out);
    if (reason) return reason;
  }
  return undefined;
}

function assemble<C, K extends string>(
  base: ClaimBase<C, K>,
  rule: ClaimRule,
  judge: (s: ScalarView<K>, cfg: C, out: ClaimOutput<K>) => ClaimResult,
): Claim<C, K> {
  if (base.kind === 'paper' && !base.source)
    throw new Error(
      `claim '${base.id}': a paper claim needs its source (the paper's statement and where it is)`,
    );
  const claim: Claim<C, K> = {
    id: base.id,
    statement: base.statement,
    kind: base.kind,
    rule,
    check(out, cfg) {
      const s = out.scalars;
      const reason = blocked(base.requires, s, cfg, out);
      if (reason) return { verdict: 'inconclusive', measured: reason, expected: rule.text };
      return judge(s, cfg, out);
    },
  };
  if (base.source) claim.source = base.source;
  return claim;
}

/** Where an interval [v − k·sem, v + k·sem] lies against [lo, hi]: inside, outside, or straddling an end. */
function judgeInterval(v: number, halfWidth: number, lo: number, hi: number): Verdict {
  if (v - halfWidth >= lo && v + halfWidth <= hi) return 'reproduced';
  if (v + halfWidth < lo || v - halfWidth > hi) return 'not-reproduced';
  return 'inconclusive';
}

/**
 * Where value ± k·sem lies against [lo, hi] ({@link inRange}'s rule, for custom checks that write their own
 * measured text): wholly inside reproduces, wholly outside does not, straddling an end (or NaN) is inconclusive.
 */
export function intervalVerdict(value: number, sem: number, lo: number, hi: number, k = 2): Verdict {
  return judgeInterval(value, k * sem, lo, hi);
}

/** Options of {@link barVerdict}. */
export interface BarRule {
  /** Which side of the bar the claim puts the value on. */
  side: 'above' | 'below';
  /** Standard errors of tolerance (default 2). */
  k?: number;
  /** The side a value exactly at the bar counts for (default: neither, so touching the bar is inconclusive). */
  barCounts?: 'above' | 'below';
}

/**
 * "The mean lies above (below) a bar": reproduced when mean ± k·sem lies wholly on the claimed side, not
 * reproduced when wholly on the other, inconclusive when the interval reaches across the bar (or is NaN).
 */
export function barVerdict(mean: number, sem: number, bar: number, rule: BarRule): Verdict {
  const k = rule.k ?? 2;
  const lo = mean - k * sem;
  const hi = mean + k * sem;
  const above = (v: number) => (rule.barCounts === 'above' ? v >= bar : v > bar);
  const below = (v: number) => (rule.barCounts === 'below' ? v <= bar : v < bar);
  const [pass, fail] = rule.side === 'above' ? [above(lo), below(hi)] : [below(hi), above(lo)];
  return pass ? 'reproduced' : fail ? 'not-reproduced' : 'inconclusive';
}

/** Options of {@link inRange}. */
export interface RangeSpec<C, K extends string> extends ClaimBase<C, K> {
  /** The measured value. */
  value: ClaimValue<C, K>;
  /** Its standard error across seeds; with `k` > 0 the interval value ± k·sem must lie inside the range. */
  sem?: ClaimValue<C, K>;
  /** Standard errors of tolerance (default 2 when `sem` is given). */
  k?: number;
  /** Accepted range; use ±Infinity for one-sided rules. */
  range: readonly [number, number];
  /** Name of the value in the measured text, e.g. `log-log slope`. */
  label: string;
  /** Digits shown (default 3). */
  digits?: number;
  /** Extra words for the expected column, e.g. the paper's number. */
  note?: string;
  /** Extra words for the measured column (N seeds, widths…). */
  detail?: (s: ScalarView<K>, config: C) => string;
}

/**
 * "The value lies in [lo, hi]": reproduced when value ± k·sem lies inside, not reproduced when it lies wholly
 * outside, inconclusive when it straddles an end (without `sem`, a point check).
 */
export function inRange<C, K extends string>(spec: RangeSpec<C, K>): Claim<C, K> {
  const [lo, hi] = spec.range;
  const k = spec.sem === undefined ? 0 : (spec.k ?? 2);
  const d = spec.digits ?? 3;
  const text = `${spec.label} in ${interval(lo, hi)}${k > 0 ? ` (with ±${k} s.e.)` : ''}${spec.note ? `; ${spec.note}` : ''}`;
  const rule: ClaimRule = { type: 'range', text, params: { lo: finiteOrNull(lo), hi: finiteOrNull(hi), k } };
  return assemble(spec, rule, (s, cfg, out) => {
    const v = read(spec.value, s, cfg, out);
    const se = spec.sem === undefined ? 0 : read(spec.sem, s, cfg, out);
    const extra = spec.detail ? ` (${spec.detail(s, cfg)})` : '';
    return {
      verdict: judgeInterval(v, k * se, lo, hi),
      measured: `${spec.label} = ${fmt(v, d)}${spec.sem === undefined ? '' : ` ± ${fmt(se, d)}`}${extra}`,
      expected: text,
    };
  });
}

/** Options of {@link beats}. */
export interface BeatsSpec<C, K extends string> extends ClaimBase<C, K> {
  /** The paired gap A − B over seeds (positive = A better; negate for lower-is-better figures). */
  gap: ClaimValue<C, K>;
  /** Standard error of the paired gap. */
  sem: ClaimValue<C, K>;
  /** Standard errors of tolerance (default 2). */
  k?: number;
  /** The gap A must exceed (default 0). */
  margin?: number;
  /** What a gap straddling the margin means: `inconclusive` (default) or `not-reproduced` (a one-sided rule). */
  straddle?: 'inconclusive' | 'not-reproduced';
  /** Names of the two sides and the figure compared, e.g. `hybrid`, `classical`, `test accuracy`. */
  a: string;
  b: string;
  what: string;
  /** Formats the gap (default: 3 digits). */
  format?: (gap: number, sem: number) => string;
  /** Extra words for the expected column. */
  note?: string;
  /** Extra words for the measured column. */
  detail?: (s: ScalarView<K>, config: C) => string;
}

/** "A beats B by more than a margin": judged by the paired gap against k standard errors. */
export function beats<C, K extends string>(spec: BeatsSpec<C, K>): Claim<C, K> {
  const k = spec.k ?? 2;
  const margin = spec.margin ?? 0;
  const straddle = spec.straddle ?? 'inconclusive';
  const show = spec.format ?? pm;
  const text = `${spec.a} − ${spec.b} ${spec.what} > ${margin} by ${k} s.e.${spec.note ? `; ${spec.note}` : ''}`;
  const rule: ClaimRule = { type: 'beats', text, params: { margin, k, straddle } };
  return assemble(spec, rule, (s, cfg, out) => {
    const g = read(spec.gap, s, cfg, out);
    const e = read(spec.sem, s, cfg, out);
    let verdict = judgeInterval(g, k * e, margin, Number.POSITIVE_INFINITY);
    if (verdict === 'inconclusive' && straddle === 'not-reproduced') verdict = 'not-reproduced';
    if (g - k * e === margin && k * e === 0) verdict = 'not-reproduced';
    const extra = spec.detail ? ` (${spec.detail(s, cfg)})` : '';
    return { verdict, measured: `${spec.a} − ${spec.b} ${spec.what}: ${show(g, e)}${extra}`, expected: text };
  });
}

/** Options of {@link slopeWithin}. */
export interface SlopeSpec<C, K extends string> extends Omit<RangeSpec<C, K>, 'value' | 'label'> {
  slope: ClaimValue<C, K>;
  /** Name of the fitted quantity, e.g. `deviation`. */
  what: string;
}

/** "Y scales as x^p": the log-log slope (± its per-seed error) lies in a range around p. */
export function slopeWithin<C, K extends string>(spec: SlopeSpec<C, K>): Claim<C, K> {
  const { slope, what, ...rest } = spec;
  const claim = inRange({ ...rest, value: slope, label: `${what} log-log slope` });
  claim.rule = { ...claim.rule!, type: 'slope' };
  return claim;
}

/** Options of {@link custom}. */
export interface CustomSpec<C, K extends string> extends ClaimBase<C, K> {
  /** The rule as data: its words (shown as `expected` unless the check says otherwise) and parameters. */
  rule: { text: string; type?: string; params?: ClaimRule['params'] };
  /** The judgement; `expected` defaults to the rule's text. */
  check(
    s: ScalarView<K>,
    config: C,
    out: ClaimOutput<K>,
  ): { verdict: Verdict; measured: string; expected?: string };
}

/** A claim whose judgement is written by hand (still typed, with kind, rule data and preconditions). */
export function custom<C, K extends string>(spec: CustomSpec<C, K>): Claim<C, K> {
  const rule: ClaimRule = {
    type: spec.rule.type ?? 'custom',
    text: spec.rule.text,
    ...(spec.rule.params ? { params: spec.rule.params } : {}),
  };
  return assemble(spec, rule, (s, cfg, out) => {
    const r = spec.check(s, cfg, out);
    return { verdict: r.verdict, measured: r.measured, expected: r.expected ?? rule.text };
  });
}

/**
 * Marks a claim as revised after a paper-preset run was seen: `claim` keeps the original, pre-registered rule;
 * `revised` (built with the same id) is the rule now in force. Both verdicts are reported; counts show it apart.
 */
export function revise<C, K extends string>(
  claim: Claim<C, K>,
  revision: { date: string; reason: string; revised: Claim<C, K> },
): Claim<C, K> {
  return {
    ...claim,
    revision: {
      date: revision.date,
      reason: revision.reason,
      rule: revision.revised.rule!,
      check: revision.revised.check,
    },
  };
}

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/** A precondition that holds unless the value is below `min`, then says `why(value)`. */
function unlessBelow<C, K extends string>(
  value: ClaimValue<C, K>,
  min: number,
  why: (v: number) => string,
): Precondition<C, K> {
  return (s, cfg, out) => {
    const v = read(value, s, cfg, out);
    return v < min ? why(v) : undefined;
  };
}

/** "Needs at least `min` of something": e.g. `atLeast('n_widths', 3, 'widths')` → "too small a run: 2 widths < 3". */
export function atLeast<C, K extends string>(
  value: ClaimValue<C, K>,
  min: number,
  what: string,
): Precondition<C, K> {
  return unlessBelow(value, min, (v) => `too small a run: ${v} ${what} (needs ≥ ${min})`);
}

/**
 * "The model trained": a training figure (e.g. train accuracy) must reach `min` — otherwise the comparison says
 * nothing about the method. Use a function value for "within x of its twin".
 */
export function trained<C, K extends string>(
  value: ClaimValue<C, K>,
  min: number,
  model: string,
): Precondition<C, K> {
  return unlessBelow(value, min, (v) => `${model} did not train: ${fmt(v)} < ${min}`);
}

/** "The component under test is on": e.g. the circuit's share of a fusion must be at least `min`. */
export function active<C, K extends string>(
  value: ClaimValue<C, K>,
  min: number,
  component: string,
): Precondition<C, K> {
  return unlessBelow(value, min, (v) => `${component} is effectively off: ${fmt(v, 4)} < ${min}`);
}

/** The claim builders bound to one experiment's config and scalar-key types. */
export function claimsFor<C, K extends string>() {
  return {
    inRange: (spec: RangeSpec<C, K>) => inRange(spec),
    beats: (spec: BeatsSpec<C, K>) => beats(spec),
    slopeWithin: (spec: SlopeSpec<C, K>) => slopeWithin(spec),
    custom: (spec: CustomSpec<C, K>) => custom(spec),
    revise: (claim: Claim<C, K>, revision: { date: string; reason: string; revised: Claim<C, K> }) =>
      revise(claim, revision),
    atLeast: (value: ClaimValue<C, K>, min: number, what: string) => atLeast(value, min, what),
    trained: (value: ClaimValue<C, K>, min: number, model: string) => trained(value, min, model),
    active: (value: ClaimValue<C, K>, min: number, component: string) => active(value, min, component),
  };
}

/** The verdict of a pass/fail rule: `reproduced` when it holds, `not-reproduced` when it does not. */
export function verdictOf(holds: boolean): Verdict {
  return holds ? 'reproduced' : 'not-reproduced';
}
