import type { Claim, ClaimRule, Verdict } from '@paperlab/core';
import type { ClaimBase, Precondition, ScalarView } from '@paperlab/core/kit';
import { allOf, barVerdict, custom, fmt, intervalVerdict, points, revise } from '@paperlab/core/kit';

/**
 * The revision every "max(margin, k·s.e.)" rule of this plugin received (issue 9): such a rule let noise pass
 * a claim (a deficit within k·s.e. counted as "not worse" however large the s.e.), so the gap ± k·s.e. is now
 * judged against the margin, and an interval straddling it is inconclusive.
 */
export const SEED_SPREAD = {
  date: '2026-12-02',
  reason:
    'tolerance from seed spread, CLAIMS.md §3: the paired gap ± k·s.e. is judged against the margin (straddling it → inconclusive) instead of max(margin, k·s.e.), under which a noisy run passed',
} as const;

/** A claim defined once for both rules: its first rule (`interval` false) and, as a {@link SEED_SPREAD} revision, the interval rule. */
export function seedSpreadRevision<C, K extends string>(
  build: (interval: boolean) => Claim<C, K>,
  also?: string,
): Claim<C, K> {
  const reason = also ? `${SEED_SPREAD.reason}; ${also}` : SEED_SPREAD.reason;
  return revise(build(false), { date: SEED_SPREAD.date, reason, revised: build(true) });
}

/** How a paired gap g is judged against a margin m: g > m, g ≥ −m (not worse), or |g| ≤ m (unchanged). */
export type GapSense = 'above' | 'not-below' | 'within';

/** One paired gap a claim judges (e.g. one per dataset), with words for the measured column. */
export interface GapPart {
  /** The paired gap (mean over seeds). */
  gap: number;
  /** Its standard error over seeds. */
  sem: number;
  /** What the gap compares, for the measured column. */
  label: string;
}

/** The pre-registered rule of this plugin's gap claims: the gap against max(margin, k·s.e.), one-sided. */
function maxRule(sense: GapSense, g: number, se: number, m: number, k: number): Verdict {
  const tol = Math.max(m, k * se);
  const ok = sense === 'above' ? g > tol : sense === 'not-below' ? g >= -tol : Math.abs(g) <= tol;
  return ok ? 'reproduced' : 'not-reproduced';
}

/**
 * Where g ± k·s.e. lies against the margin: inside the claim's region, outside it, or straddling its edge (NaN:
 * inconclusive). Ties: for `above` an interval ending at m counts as not above it; for `not-below` one ending at
 * −m counts as not below it; for `within` the ends ±m belong to the region.
 */
export function intervalRule(sense: GapSense, g: number, se: number, m: number, k: number): Verdict {
  if (sense === 'above') return barVerdict(g, se, m, { side: 'above', k, barCounts: 'below' });
  if (sense === 'not-below') return barVerdict(g, se, -m, { side: 'above', k, barCounts: 'above' });
  return intervalVerdict(g, se, -m, m, k);
}

/** Options of {@link gapClaim}. */
export interface GapClaimSpec<C, K extends string> extends ClaimBase<C, K> {
  /** How the gap is judged against the margin. */
  sense: GapSense;
  /** The gap judged, in words (e.g. `hybrid − classical clean accuracy`). */
  what: string;
  /** The margin (a fraction) and how the rule names it (e.g. `config.margin`). */
  margin: (cfg: C) => number;
  marginName: string;
  /** Standard errors of tolerance (default 2). */
  k?: number;
  /** The paired gaps judged; every one must pass (e.g. one per dataset). */
  parts: (s: ScalarView<K>, cfg: C) => GapPart[];
  /** Words before the gaps in the measured column (accuracies, seeds). */
  measured?: (s: ScalarView<K>, cfg: C) => string;
  /** Extra words for the rule, e.g. the paper's number. */
  note?: string;
  /** Further rule parameters (minimum run sizes of the preconditions). */
  params?: ClaimRule['params'];
  /** Preconditions added with the revision (checked after `requires`, for the revised rule only). */
  revisedRequires?: ReadonlyArray<Precondition<C, K>>;
  /** Words appended to the {@link SEED_SPREAD} reason when the revision also changed something else. */
  alsoRevised?: string;
  /** The gaps the revised rule judges, when the revision also changed what is compared. */
  revisedParts?: (s: ScalarView<K>, cfg: C) => GapPart[];
}

/**
 * A paired-gap claim with its two rules: the pre-registered one (gap against max(margin, k·s.e.), one-sided)
 * and, as a revision ({@link SEED_SPREAD}), the interval rule now in force (gap ± k·s.e. against the margin,
 * straddle → inconclusive). Preconditions apply to both.
 */
export function gapClaim<C, K extends string>(spec: GapClaimSpec<C, K>): Claim<C, K> {
  const { sense, what, margin, marginName, k = 2, parts, measured, note, params, ...rest } = spec;
  const { revisedRequires, alsoRevised, revisedParts, ...base } = rest;
  const tail = note ? `; ${note}` : '';
  const words: Record<GapSense, [string, string]> = {
    above: [`${what} > max(m, ${k} s.e.)`, `${what} − ${k} s.e. > m`],
    'not-below': [`${what} ≥ −max(m, ${k} s.e.)`, `${what} − ${k} s.e. ≥ −m`],
    within: [`|${what}| ≤ max(m, ${k} s.e.)`, `${what} ± ${k} s.e. inside [−m, m]`],
  };
  const ruleParams = { sense, k, margin: marginName, ...params };
  const build = (rule: 0 | 1, judge: typeof maxRule) =>
    custom<C, K>({
      ...base,
      requires: [...(base.requires ?? []), ...(rule ? (revisedRequires ?? []) : [])],
      rule: {
        type: rule ? 'gap-interval' : 'gap-max',
        text: `${words[sense][rule]}, m = ${marginName}${rule ? ' (straddling m → inconclusive)' : ''}${tail}`,
        params: ruleParams,
      },
      check: (s, cfg) => {
        const m = margin(cfg);
        const ps = (rule && revisedParts ? revisedParts : parts)(s, cfg);
        const gaps = ps.map((p) => `${p.label} ${points(p.gap, p.sem)}`).join(', ');
        return {
          verdict: allOf(ps.map((p) => judge(sense, p.gap, p.sem, m, k))),
          measured: `${measured ? `${measured(s, cfg)}; ` : ''}paired gap ${gaps}`,
          expected: `${words[sense][rule]}, m = ${points(m)}${rule ? ' (straddle → inconclusive)' : ''}${tail}`,
        };
      },
    });
  return seedSpreadRevision(
    (interval) => (interval ? build(1, intervalRule) : build(0, maxRule)),
    alsoRevised,
  );
}

/** A gap read from scalars `<key>` and `<key>_sem`. */
export function gapOf<K extends string>(s: ScalarView<K>, key: string, label: string): GapPart {
  const v = s as Readonly<Record<string, number>>;
  return { gap: v[key]!, sem: v[`${key}_sem`]!, label };
}

/** The training figures {@link trainedFairly} reads for one model. */
export interface TrainingFigures {
  /** Mean final train accuracy over seeds. */
  trainAcc: number;
  /** Its standard deviation over seeds. */
  trainSd: number;
  /** Fraction of seeds whose train accuracy plateaued. */
  plateau: number;
}

/** When a compared model counts as not trained (CLAIMS.md §4), stated once for every comparison of the plugin. */
export const FAIR_TRAINING = {
  /** Train accuracy more than this below its twin's. */
  maxTrainGap: 0.05,
  /** Seeds disagree: standard deviation of the per-seed train accuracy above this. */
  maxSeedSd: 0.05,
  /** Every seed's train accuracy must have plateaued. */
  minPlateau: 1,
} as const;

/** `[model, twin]` pairs: the model's train accuracy may not lie far below its twin's. */
export type Pairs = ReadonlyArray<readonly [string, string]>;

/**
 * "Every compared model trained" (CLAIMS.md §4): for each `[model, twin]` pair the model's train accuracy is at
 * most {@link FAIR_TRAINING}.maxTrainGap below its twin's; for every model named, the per-seed train accuracies
 * agree (s.d. ≤ maxSeedSd) and every seed's train accuracy plateaued (pair a model with itself to check only
 * that, e.g. a larger counterpart expected to fit better). The first failure is the reason the claim is
 * inconclusive. `figures(s, key)` reads a model's {@link TrainingFigures}; `label(key)` names it.
 */
export function trainedFairly<C, K extends string>(
  figures: (s: ScalarView<K>, key: string) => TrainingFigures,
  pairs: Pairs | ((cfg: C) => Pairs),
  label: (key: string) => string = (key) => key,
): Precondition<C, K> {
  const f = FAIR_TRAINING;
  return (s, cfg) => {
    const list = typeof pairs === 'function' ? pairs(cfg) : pairs;
    const keys = [...new Set(list.flat())];
    for (const [m, t] of list) {
      const [a, b] = [figures(s, m), figures(s, t)];
      if (a.trainAcc < b.trainAcc - f.maxTrainGap)
        return `${label(m)} did not train like ${label(t)}: train accuracy ${fmt(100 * a.trainAcc, 3)}% vs ${fmt(100 * b.trainAcc, 3)}% (more than ${100 * f.maxTrainGap} pts below)`;
    }
    for (const k of keys) {
      const x = figures(s, k);
      if (x.trainSd > f.maxSeedSd)
        return `${label(k)}: seeds disagree (train accuracy s.d. ${fmt(100 * x.trainSd, 2)} pts > ${100 * f.maxSeedSd})`;
      if (x.plateau < f.minPlateau)
        return `${label(k)}: training had not plateaued on ${fmt(100 * (1 - x.plateau), 2)}% of seeds (train accuracy still rising)`;
    }
    return undefined;
  };
}

/** {@link TrainingFigures} from the scalars {@link accuracySummary} writes (`train_acc_<key>`, `_sd`, `plateau_<key>`). */
export function summaryFigures<K extends string>(s: ScalarView<K>, key: string): TrainingFigures {
  const v = s as Readonly<Record<string, number>>;
  return {
    trainAcc: v[`train_acc_${key}`]!,
    trainSd: v[`train_acc_${key}_sd`]!,
    plateau: v[`plateau_${key}`]!,
  };
}

/** {@link TrainingFigures} from per-cell means {@link recordMeans} writes (`<key>_train`, `_train_sem`, `<key>_plateau`). */
export function cellFigures<K extends string>(s: ScalarView<K>, key: string, seeds: number): TrainingFigures {
  const v = s as Readonly<Record<string, number>>;
  const sd = v[`${key}_train_sem`]! * Math.sqrt(seeds);
  return { trainAcc: v[`${key}_train`]!, trainSd: sd, plateau: v[`${key}_plateau`]! };
}
