import type { Scalars } from '@paperlab/core';
import { type CellResult, mean, pairedGap, withSem } from '@paperlab/core/kit';
import { spearman } from '../../util/rankCorrelation.js';
import type { Cell } from './cells.js';
import type { Dong2019Config, Dong2019Scalar } from './experiment.js';

/** Every assignment of `bits` to `layers` layers (first layer varies slowest). */
export function allConfigs(layers: number, bits: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (let l = 0; l < layers; l++) out = out.flatMap((c) => bits.map((b) => [...c, b]));
  return out;
}

/** The configuration with the smallest score among those within the size budget (ties: the larger one). */
export function pickWithin(sizes: readonly number[], scores: readonly number[], budget: number): number {
  let best = -1;
  for (let i = 0; i < sizes.length; i++) {
    if (sizes[i]! > budget + 1e-9) continue;
    if (best < 0 || scores[i]! < scores[best]! || (scores[i] === scores[best] && sizes[i]! > sizes[best]!))
      best = i;
  }
  return best;
}

/**
 * One seed's allocations: per budget, the accuracy of the trace- and eigenvalue-chosen configurations, the mean
 * (random) and best over those within it; the gains over random, eigenvalue and uniform 4-bit (index `u4`, −1 when
 * the bits exclude it), and how well each Ω ranks the accuracy drops.
 */
export function allocate(r: Cell, budgets: readonly number[], u4: number) {
  const rows = budgets.map((budget) => {
    const t = pickWithin(r.sizes, r.omegaTrace, budget);
    const e = pickWithin(r.sizes, r.omegaEig, budget);
    const within = r.acc.filter((_, i) => r.sizes[i]! <= budget + 1e-9);
    return {
      budget,
      trace: r.acc[t]!,
      eig: r.acc[e]!,
      random: mean(within),
      oracle: Math.max(...within),
      differ: t !== e,
    };
  });
  const t4 = pickWithin(r.sizes, r.omegaTrace, 4);
  const differing = rows.filter((x) => x.differ);
  return {
    rows,
    gainRandom: mean(rows.map((x) => x.trace - x.random)),
    gainEig: differing.length ? mean(differing.map((x) => x.trace - x.eig)) : 0,
    differ: differing.length / rows.length,
    gainU4: u4 < 0 ? Number.NaN : r.acc[t4]! - r.acc[u4]!,
    oracleGap: mean(rows.map((x) => x.oracle - x.trace)),
    rhoTrace: spearman(
      r.omegaTrace,
      r.acc.map((a) => -a),
    ),
    rhoEig: spearman(
      r.omegaEig,
      r.acc.map((a) => -a),
    ),
  };
}

/** One seed's allocations (see {@link allocate}). */
export type Allocation = ReturnType<typeof allocate>;

/** The scalars of dong2019: the float model, the paired gains over seeds, the rank controls. */
export function allocationScalars(
  done: ReadonlyArray<CellResult<{ seed: number }, Cell>>,
  per: readonly Allocation[],
  cfg: Dong2019Config,
): Scalars<Dong2019Scalar> {
  const zero = per.map(() => 0);
  const gap = (key: 'gainRandom' | 'gainEig' | 'gainU4') =>
    pairedGap(
      per.map((p) => p[key]),
      zero,
    );
  return {
    fp_acc: mean(done.map((d) => d.result.fpAcc)),
    fp_acc_min: Math.min(...done.map((d) => d.result.fpAcc)),
    ...withSem('gain_random', gap('gainRandom')),
    ...withSem('gain_eig', gap('gainEig')),
    differ_frac: mean(per.map((p) => p.differ)),
    ...withSem('gain_uniform4', gap('gainU4')),
    spearman_trace: mean(per.map((p) => p.rhoTrace)),
    spearman_eig: mean(per.map((p) => p.rhoEig)),
    trace_rel_sem_max: Math.max(
      ...done.flatMap((d) => d.result.traces.map((t, l) => d.result.traceSem[l]! / Math.abs(t))),
    ),
    configs: done[0]!.result.acc.length,
    seeds: cfg.seeds,
    oracle_gap: mean(per.map((p) => p.oracleGap)),
  };
}
