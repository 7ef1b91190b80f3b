import type { PlotSpec, Scalars, SeriesRow, Table } from '@paperlab/core';
import { type CellResult, meanSem, pick, table } from '@paperlab/core/kit';
import { linePlot } from '@paperlab/core/plots';
import type { ProductKind } from '../../equivariance/invariants.js';
import { tpPaths } from '../../equivariance/tensorProducts.js';
import type { Xie2025Config, Xie2025Scalar } from './experiment.js';
import { KINDS, NAME } from './products.js';
import type { ShapeResult } from './tetrisShapes.js';

/** Finished cells of a kind × degree sweep. */
type KindDegreeDone = ReadonlyArray<CellResult<{ kind: ProductKind; L: number }, number>>;
/** Ranks per kind, one per degree of the expressivity sweep. */
export type Ranks = Record<ProductKind, number[]>;

/** The measured ranks of each kind at the swept degrees, in degree order. */
export function ranksOf(expr: KindDegreeDone, degrees: readonly number[]): Ranks {
  const ranks = (kind: ProductKind) => degrees.map((L) => pick(expr, { kind, L })[0]!);
  return { cg: ranks('cg'), gaunt: ranks('gaunt') };
}

/** The scalars of physics/xie2025: worst equivariance error, ranks, tetris accuracies and gaps over networks. */
export function summarise(
  cfg: Xie2025Config,
  eq: KindDegreeDone,
  ranks: Ranks,
  exprDegrees: readonly number[],
  shapeRes: readonly ShapeResult[],
): Scalars<Xie2025Scalar> {
  return {
    eq_err_cg: Math.max(...pick(eq, { kind: 'cg' })),
    eq_err_gaunt: Math.max(...pick(eq, { kind: 'gaunt' })),
    expr_cg_lmax: ranks.cg.at(-1)!,
    expr_gaunt_lmax: ranks.gaunt.at(-1)!,
    expr_gaunt_below: exprDegrees.filter((_, i) => ranks.gaunt[i]! < ranks.cg[i]!).length,
    expr_degrees: exprDegrees.length,
    pair_acc_cg: meanSem(shapeRes.map((r) => r.pair_cg)).mean,
    pair_acc_gaunt: meanSem(shapeRes.map((r) => r.pair_gaunt)).mean,
    other_acc_cg: Math.min(...shapeRes.map((r) => r.other_cg)),
    other_acc_gaunt: Math.min(...shapeRes.map((r) => r.other_gaunt)),
    mirror_gap_cg: Math.min(...shapeRes.map((r) => r.mirror_cg)),
    mirror_gap_gaunt: Math.max(...shapeRes.map((r) => r.mirror_gaunt)),
    rot_inv_err: Math.max(...shapeRes.map((r) => r.rotInv)),
    l_max: cfg.lMax,
    seeds: cfg.seeds,
  };
}

/** The `expressivity` series: rank and coupling paths per kind and degree. */
export function expressivityRows(exprDegrees: readonly number[], ranks: Ranks): SeriesRow[] {
  return exprDegrees.flatMap((L, i) =>
    KINDS.map((kind) => ({
      kind: NAME[kind],
      L,
      rank: ranks[kind][i]!,
      paths: tpPaths(L, L, L, kind === 'cg' ? 'all' : 'even').length,
    })),
  );
}

/** The plots of physics/xie2025: runtime per product and expressivity, against the degree. */
export function productPlots(): PlotSpec[] {
  return [
    linePlot({
      id: 'runtime',
      title: 'Seconds per tensor product (this machine, float64 JS)',
      series: 'timing',
      x: 'L',
      y: 'seconds',
      color: 'kind',
      logY: true,
    }),
    linePlot({
      id: 'expressivity',
      title: 'Expressivity (rank of reachable bilinear maps)',
      series: 'expressivity',
      x: 'L',
      y: 'rank',
      color: 'kind',
    }),
  ];
}

/** The `runtime` table: per degree, both products' seconds and operation counts and the time ratio. */
export function runtimeTable(degrees: readonly number[], timing: readonly SeriesRow[]): Table {
  return table(
    'runtime',
    'Microbenchmark: median seconds per product and counted multiply-adds',
    ['L', 'CG s', 'CG ops', 'Gaunt s', 'Gaunt ops', 'CG/Gaunt time'],
    degrees.map((L) => {
      const [c, g] = [
        timing.find((r) => r.L === L && r.kind === NAME.cg)!,
        timing.find((r) => r.L === L && r.kind === NAME.gaunt)!,
      ];
      return [
        L,
        c.seconds as number,
        c.ops as number,
        g.seconds as number,
        g.ops as number,
        (c.seconds as number) / (g.seconds as number),
      ];
    }),
  );
}

/** The `expressivity` table: per degree, both ranks and the path counts. */
export function expressivityTable(exprDegrees: readonly number[], ranks: Ranks): Table {
  return table(
    'expressivity',
    'Expressivity per degree (numerical rank) and path counts',
    ['L', 'CG rank', 'CG paths', 'Gaunt rank', 'even paths'],
    exprDegrees.map((L, i) => [
      L,
      ranks.cg[i]!,
      tpPaths(L, L, L).length,
      ranks.gaunt[i]!,
      tpPaths(L, L, L, 'even').length,
    ]),
  );
}
