import type { Scalars } from '@paperlab/core';
import * as kit from '@paperlab/core/kit';
import { crossing, crossoverTemperature } from '../../util/crossing.js';
import type { Sclocchi2023Scalar, Tc } from './experiment.js';

/**
 * T_c(P) of the lazy net under each definition of T_c (from its weight change `change(T, P)` over the grid),
 * their log-log slopes against P, and the exponents δ, γ of the noisy regime with the predicted slope −γ/δ.
 */
export function crossoverScalars(
  ts: readonly number[],
  sizes: readonly number[],
  change: (T: number, P: number) => number,
) {
  const pMax = sizes[sizes.length - 1]!;
  const out: Partial<Scalars<Sclocchi2023Scalar>> = {};
  // T_c(P): the temperature at which the noise-driven weight change of the lazy net reaches a fixed scale,
  // 2 × the low-temperature change at the largest P (the paper's scaling argument T_c ~ P^(−γ/δ)).
  const changesAt = (P: number) => ts.map((T) => change(T, P));
  // T_c(P) under each definition (TC_TEXT); the excess one is in force, the relative one pre-registered.
  const base = changesAt(pMax)[0]!;
  const threshold = 2 * base;
  const tcOf: Record<Tc, number[]> = {
    relative: sizes.map((P) => crossoverTemperature(ts, changesAt(P), 2)),
    total: sizes.map((P) => crossing(ts, changesAt(P), threshold, true)),
    excess: sizes.map((P) =>
      crossing(
        ts,
        changesAt(P).map((c, _, all) => c - all[0]!),
        base,
      ),
    ),
  };
  out.tc_threshold = threshold;
  for (const def of ['relative', 'total', 'excess'] as const) {
    const tcs = tcOf[def];
    const fit = tcs.every(Number.isFinite) && sizes.length >= 2 ? kit.logLogFit(sizes, tcs) : undefined;
    out[`tc_${def}_slope`] = fit ? fit.slope : Number.NaN;
    out[`tc_${def}_slope_se`] = fit ? (Number.isFinite(fit.slopeStdErr) ? fit.slopeStdErr : 0) : Number.NaN;
    out[`tc_${def}_smallest`] = tcs[0]!;
    out[`tc_${def}_largest`] = tcs[tcs.length - 1]!;
  }
  // Exponents of the noisy regime: Δw ~ T^δ (two hottest T, largest P) and ~ P^γ (hottest T).
  if (ts.length >= 2 && sizes.length >= 2) {
    const hot = ts.slice(-2);
    const delta = kit.logLogFit(
      hot,
      hot.map((T) => change(T, pMax)),
    ).slope;
    const gamma = kit.logLogFit(
      sizes,
      sizes.map((P) => change(ts[ts.length - 1]!, P)),
    ).slope;
    Object.assign(out, {
      weight_change_delta: delta,
      weight_change_gamma: gamma,
      tc_slope_predicted: -gamma / delta,
    });
  }
  return { scalars: out, tcOf, base, threshold };
}
