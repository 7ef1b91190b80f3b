import { defineExperiment, scalarKeys, z } from '@paperlab/core';
import * as kit from '@paperlab/core/kit';
import { countField, seedsField } from '../../config.js';
import type { ProductKind } from '../../equivariance/invariants.js';
import { equivarianceError, expressivity, KINDS, NAME, timingRows } from './products.js';
import {
  expressivityRows,
  expressivityTable,
  productPlots,
  ranksOf,
  runtimeTable,
  summarise,
} from './report.js';
import { shapes } from './tetrisShapes.js';

const config = z.strictObject({
  lMax: z
    .number()
    .int()
    .min(1)
    .max(8)
    .default(6)
    .describe('largest degree of the equivariance and runtime sweeps'),
  lExpressivity: z
    .number()
    .int()
    .min(1)
    .max(5)
    .default(4)
    .describe('largest degree of the expressivity (rank) sweep'),
  lInvariant: z.number().int().min(1).max(4).default(2).describe('degree of the shape network'),
  channels: z.number().int().min(2).max(6).default(3).describe('radial channels of the shape embedding'),
  rotations: countField(1, 1000, 12).describe(
    'random rotations per shape (half to fit centroids, half to test)',
  ),
  timingReps: countField(1, 100_000, 200).describe('products timed per degree (median of 5 batches)'),
  seeds: seedsField(3).describe('random invariant networks'),
});

/** Config of physics/xie2025. */
export type Xie2025Config = z.infer<typeof config>;

/** Scalar keys of physics/xie2025. */
export type Xie2025Scalar =
  | `eq_err_${ProductKind}`
  | `expr_${ProductKind}_lmax`
  | 'expr_gaunt_below'
  | 'expr_degrees'
  | `pair_acc_${ProductKind}`
  | `other_acc_${ProductKind}`
  | `mirror_gap_${ProductKind}`
  | 'rot_inv_err'
  | 'l_max'
  | 'seeds';

const claim = kit.claimsFor<Xie2025Config, Xie2025Scalar>();

/** physics/xie2025: The Price of Freedom — expressivity and runtime of equivariant tensor products (Xie et al. 2025). */
export const xie2025 = defineExperiment({
  id: 'physics/xie2025',
  paper: {
    title:
      'The Price of Freedom: Exploring Expressivity and Runtime Tradeoffs in Equivariant Tensor Products',
    authors: 'YuQing Xie, Ameya Daigavane, Mit Kotak, Tess Smidt',
    year: 2025,
    url: 'https://arxiv.org/abs/2506.13523',
    venue: 'ICML 2025',
  },
  summary:
    'The Clebsch–Gordan tensor product (every coupling path) against the Gaunt tensor product computed on a spherical ' +
    'grid (pointwise product of the features as functions on the sphere, projected back), all in one float64 harness: ' +
    'equivariance under random rotations (Wigner-D by quadrature), expressivity as the rank of the bilinear maps ' +
    'reachable with per-degree linear layers, a three-body invariant network on the eight tetris pieces (one chiral ' +
    'pair), and microbenchmarks of both products for degrees 1 … L against their asymptotic costs O(L⁶) and O(L³).',
  config,
  presets: {
    smoke: { lMax: 2, lExpressivity: 1, lInvariant: 2, channels: 2, rotations: 2, timingReps: 5, seeds: 1 },
    paper: {},
  },
  scalars: scalarKeys<Xie2025Scalar>(),
  claims: [
    claim.custom({
      id: 'gaunt-loses-expressivity',
      kind: 'paper',
      statement:
        'The Gaunt tensor product is strictly less expressive than the Clebsch–Gordan tensor product at every degree',
      source: {
        quote:
          'we emphasize that different tensor products are not performing the same operation. The reported speedups typically come at the cost of expressivity',
        where: 'abstract; §4 (expressivity)',
        restated:
          'expressivity = numerical rank of random maps Lin ∘ TP ∘ (Lin, Lin) per degree L = 1 … lExpressivity',
      },
      requires: [claim.atLeast('expr_degrees', 2, 'degrees in the expressivity sweep')],
      rule: { text: 'rank(Gaunt) < rank(CG) at every degree swept', params: { atEvery: true } },
      check: (s) => ({
        verdict: kit.verdictOf(s.expr_gaunt_below === s.expr_degrees),
        measured: `Gaunt below CG at ${s.expr_gaunt_below}/${s.expr_degrees} degrees; at the largest: ${s.expr_gaunt_lmax} vs ${s.expr_cg_lmax}`,
      }),
    }),
    claim.custom({
      id: 'gaunt-mirror-blind',
      kind: 'paper',
      statement:
        'Lacking the antisymmetric (odd) paths, Gaunt products cannot tell a chiral pair apart; CG products can',
      source: {
        quote:
          'GTP ... only contains the interactions with l1 + l2 + l3 even, and hence cannot represent antisymmetric operations such as the cross product (paraphrase)',
        where: '§4 (expressivity and interactability)',
        restated:
          'nearest-centroid accuracy on the two chiral tetris pieces under random rotations, three-body invariant networks',
      },
      requires: [claim.atLeast('seeds', 2, 'random networks')],
      rule: {
        text: 'CG pair accuracy ≥ 95% and Gaunt pair accuracy ≤ 60% (chance is 50%)',
        params: { cgMin: 0.95, gauntMax: 0.6 },
      },
      check: (s) => ({
        verdict: kit.verdictOf(s.pair_acc_cg >= 0.95 && s.pair_acc_gaunt <= 0.6),
        measured: `chiral-pair accuracy: CG ${kit.pct(s.pair_acc_cg)}, Gaunt ${kit.pct(s.pair_acc_gaunt)}; mirror feature gap CG ${s.mirror_gap_cg.toExponential(1)}, Gaunt ${s.mirror_gap_gaunt.toExponential(1)}`,
      }),
    }),
    claim.custom({
      id: 'runtime-not-asymptotic',
      kind: 'paper',
      statement:
        'Measured runtimes do not follow the asymptotic costs: Gaunt’s measured speed-up over CG grows far less than L³',
      source: {
        quote: 'We find that the theoretical runtime guarantees can differ wildly from empirical performance',
        where: 'abstract; §6 (microbenchmarks)',
        restated:
          'speed-up growth from L = 1 to L = lMax, (t_CG/t_Gaunt)(lMax)/(t_CG/t_Gaunt)(1), against the asymptotic lMax³: below half of it',
      },
      requires: [claim.atLeast('l_max', 4, 'largest degree timed')],
      rule: { text: 'measured speed-up growth < 0.5 × lMax³', params: { factor: 0.5 } },
      check: (s, _c, out) => {
        const rows = out.series?.timing ?? [];
        const t = (kind: ProductKind, L: number) =>
          Number(rows.find((r) => r.kind === NAME[kind] && r.L === L)?.seconds);
        const speed = (L: number) => t('cg', L) / t('gaunt', L);
        const growth = speed(s.l_max) / speed(1);
        const predicted = s.l_max ** 3;
        if (!Number.isFinite(growth)) return { verdict: 'inconclusive', measured: 'timing rows missing' };
        return {
          verdict: kit.verdictOf(growth < 0.5 * predicted),
          measured: `speed-up ${kit.fmt(speed(1), 2)}× at L = 1, ${kit.fmt(speed(s.l_max), 2)}× at L = ${s.l_max}: growth ${kit.fmt(growth, 2)} vs asymptotic ${predicted}`,
        };
      },
    }),
    claim.custom({
      id: 'both-equivariant',
      kind: 'control',
      statement:
        'Control: both products are equivariant to float64 tolerance at every degree (so differences are not bugs)',
      rule: { text: 'max relative equivariance error < 1e-9 for CG and Gaunt', params: { max: 1e-9 } },
      check: (s) => ({
        verdict: kit.verdictOf(Math.max(s.eq_err_cg, s.eq_err_gaunt) < 1e-9),
        measured: `max relative error CG ${s.eq_err_cg.toExponential(1)}, Gaunt ${s.eq_err_gaunt.toExponential(1)} (L ≤ ${s.l_max})`,
      }),
    }),
    claim.custom({
      id: 'invariants-exact',
      kind: 'control',
      statement:
        'Control: the shape features are rotation invariant and both networks classify the six achiral pieces',
      rule: {
        text: 'relative rotation drift < 1e-9 and achiral accuracy = 100% for both',
        params: { max: 1e-9 },
      },
      check: (s) => ({
        verdict: kit.verdictOf(s.rot_inv_err < 1e-9 && s.other_acc_cg === 1 && s.other_acc_gaunt === 1),
        measured: `rotation drift ${s.rot_inv_err.toExponential(1)}; achiral accuracy CG ${kit.pct(s.other_acc_cg)}, Gaunt ${kit.pct(s.other_acc_gaunt)}`,
      }),
    }),
  ],
  async run(ctx, cfg: Xie2025Config) {
    const degrees = Array.from({ length: cfg.lMax }, (_, i) => i + 1);
    const eq = await kit.runCells(ctx, {
      label: 'equivariance: kind × degree',
      cells: kit.grid({ kind: KINDS, L: degrees }),
      key: ({ kind, L }) => `eq-${kind}-${L}`,
      run: ({ kind, L }) => equivarianceError(kind, L, ctx.rng.split(`eq-${kind}-${L}`)),
    });
    const exprDegrees = degrees.filter((L) => L <= cfg.lExpressivity);
    const expr = await kit.runCells(ctx, {
      label: 'expressivity: kind × degree',
      cells: kit.grid({ kind: KINDS, L: exprDegrees }),
      key: ({ kind, L }) => `expr-${kind}-${L}`,
      run: ({ kind, L }) => expressivity(kind, L, ctx.rng.split(`expr-${kind}-${L}`)),
    });
    const sh = await kit.runCells(ctx, {
      label: 'tetris: random network',
      cells: kit.grid({ seed: kit.seeds(cfg.seeds) }),
      key: ({ seed }) => `shapes-${seed}`,
      run: ({ seed }) => shapes(cfg, ctx.rng.split(`shapes-${seed}`)),
    });
    const timing = timingRows(degrees, cfg.timingReps, ctx.rng);
    const ranks = ranksOf(expr, exprDegrees);
    const shapeRes = sh.map((c) => c.result);
    return {
      scalars: summarise(cfg, eq, ranks, exprDegrees, shapeRes),
      series: { timing, expressivity: expressivityRows(exprDegrees, ranks) },
      plots: productPlots(),
      tables: [runtimeTable(degrees, timing), expressivityTable(exprDegrees, ranks)],
    };
  },
});
