import type { AnyExperiment } from '@paperlab/core';
import { expectClaimCanFail } from '@paperlab/core/testing';

/** Doctored scalars of a claim test. */
type Scalars = Record<string, number>;

/** A measured value and its standard error, written as the scalars `<key>` and `<key>_sem`. */
type ValueSem = readonly [value: number, sem: number];

/** The cases of a claim that reads one value ± s.e. (the scalars `<key>` and `<key>_sem`). */
export interface ValueCases {
  /** Scalars every case starts from (seeds, training controls, …). */
  base: Scalars;
  /** Values ± s.e. that reproduce the claim, that do not, and (optionally) that straddle its bound. */
  values: { pass: ValueSem; fail: ValueSem; straddle?: ValueSem };
  /** Scalars that break a precondition (too few seeds, an untrained model): with the passing value, inconclusive. */
  unmet?: readonly Scalars[];
}

/** The value ± s.e. as the scalars `<key>` and `<key>_sem`. */
function valueSem(key: string, [value, sem]: ValueSem): Scalars {
  return { [key]: value, [`${key}_sem`]: sem };
}

/**
 * A claim on the value ± s.e. `<key>`, `<key>_sem` can fail: `pass` reproduces it, `fail` does not, and a
 * straddling value or any unmet precondition (on the passing value) makes it inconclusive.
 */
export function expectValueCases(
  experiment: AnyExperiment,
  id: string,
  key: string,
  cases: ValueCases,
): void {
  const { base, values, unmet = [] } = cases;
  const { pass, fail, straddle } = values;
  expectClaimCanFail(experiment, id, {
    base,
    pass: valueSem(key, pass),
    fail: valueSem(key, fail),
    inconclusive: [
      ...(straddle ? [valueSem(key, straddle)] : []),
      ...unmet.map((u) => ({ ...u, ...valueSem(key, pass) })),
    ],
  });
}

/**
 * An "A beats B" claim on the paired gap ± s.e. `<gap>`, `<gap>_sem` can fail: `+gap` passes, `−gap` fails,
 * a gap of `straddle` (same s.e.) and each unmet precondition are inconclusive.
 */
export function expectBeatsCases(
  experiment: AnyExperiment,
  id: string,
  gap: string,
  cases: { base: Scalars; pass: ValueSem; straddle: number; unmet?: readonly Scalars[] },
): void {
  const { base, pass, straddle, unmet } = cases;
  const [value, sem] = pass;
  const values = { pass, fail: [-value, sem] as const, straddle: [straddle, sem] as const };
  expectValueCases(experiment, id, gap, { base, values, ...(unmet ? { unmet } : {}) });
}
