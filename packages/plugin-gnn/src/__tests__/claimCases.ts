import { expectClaimCanFail } from '@paperlab/core/testing';

type Doctored = Record<string, number>;
/** A mean and its standard error. */
type Pair = readonly [mean: number, sem: number];

/** How a claim on "mean ± 2 s.e. against a bar or margin" is tested (see {@link expectGapRule}). */
export interface GapRuleCases {
  /** The judged scalar; its standard error is `${key}_sem`. */
  key: string;
  /** Scalars every case starts from. */
  base?: Doctored;
  /** Scalars that follow from the judged mean (those the measured text shows). */
  derived?: (mean: number, sem: number) => Doctored;
  pass: Pair;
  fail: Pair;
  /** An interval reaching across the bar: inconclusive. */
  straddle?: Pair;
  /** Overrides of the passing case that must make it inconclusive (too few seeds, an untrained model…). */
  blocked?: Doctored[];
}

/**
 * A "mean ± k·s.e. against a bar" claim can fail: it passes on `pass`, fails on `fail`, and is inconclusive on
 * `straddle` and on the passing case under each `blocked` override.
 */
export function expectGapRule(
  experiment: Parameters<typeof expectClaimCanFail>[0],
  id: string,
  c: GapRuleCases,
): void {
  const at = ([mean, sem]: Pair, extra: Doctored = {}): Doctored => ({
    ...c.derived?.(mean, sem),
    [c.key]: mean,
    [`${c.key}_sem`]: sem,
    ...extra,
  });
  expectClaimCanFail(experiment, id, {
    ...(c.base ? { base: c.base } : {}),
    pass: at(c.pass),
    fail: at(c.fail),
    inconclusive: [...(c.straddle ? [at(c.straddle)] : []), ...(c.blocked ?? []).map((b) => at(c.pass, b))],
  });
}
