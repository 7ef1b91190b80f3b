import { defineExperiment, type Scalars, type SeriesRow, scalarKeys, z } from '@paperlab/core';
import * as kit from '@paperlab/core/kit';
import { putMeanSem } from '@paperlab/core/kit';
import { runSeed, type SeedResult, type Variant } from './seed.js';

const config = z.strictObject({
  points: z
    .number()
    .int()
    .min(32)
    .max(4096)
    .default(256)
    .describe('points of the random point cloud in the unit square'),
  k: z.number().int().min(2).max(16).default(6).describe('nearest neighbours per point'),
  coarseRatio: z
    .number()
    .int()
    .min(2)
    .max(64)
    .default(8)
    .describe('multi-scale: one coarse point per this many points'),
  sources: z.number().int().min(1).max(32).default(4).describe('point sources per sample'),
  length: z.number().positive().max(2).default(0.1).describe('decay length ℓ of the field Σ q·exp(−r/ℓ)'),
  trainSamples: z.number().int().min(1).max(1000).default(32),
  testSamples: z.number().int().min(1).max(200).default(8),
  parts: z
    .number()
    .int()
    .min(2)
    .max(16)
    .refine((v) => (v & (v - 1)) === 0, { message: 'expected a power of two (2, 4, 8 or 16)' })
    .default(4)
    .describe('partitions (recursive coordinate bisection; a power of two)'),
  hidden: z.number().int().min(4).max(128).default(16),
  layers: z.number().int().min(1).max(8).default(4).describe('message-passing steps L (the halo has L hops)'),
  steps: z.number().int().min(1).max(5000).default(200).describe('optimizer steps'),
  batch: z.number().int().min(1).max(64).default(4).describe('samples per step'),
  lr: z.number().positive().max(1).default(5e-3),
  trainHalo: z
    .boolean()
    .default(false)
    .describe(
      'also train the halo-partitioned twin (its equivalence is checked at initialisation either way)',
    ),
  seeds: z.number().int().min(1).max(10).default(3),
});

/** Config of gnn/nabian2024. */
export type Nabian2024Config = z.infer<typeof config>;

type Scalar =
  | 'seeds'
  | 'layers'
  | 'grad_err_halo_max'
  | 'loss_err_halo_max'
  | 'out_err_halo_max'
  | 'out_err_short_min'
  | 'grad_err_short_min'
  | `mse_${Variant}`
  | `mse_${Variant}_sem`
  | 'r2_full'
  | 'halo_train_diff_max'
  | 'seam_log_ratio_gap'
  | 'seam_log_ratio_gap_sem'
  | 'seam_ratio_full'
  | 'seam_ratio_nohalo'
  | 'multiscale_gain'
  | 'multiscale_gain_sem';

const claim = kit.claimsFor<Nabian2024Config, Scalar>();
/** Float32 tolerance of the equivalence (summation order differs between the full graph and the pieces). */
const TOL = 1e-5;

/** gnn/nabian2024: X-MeshGraphNet — halo partitions and multi-scale graphs (Nabian et al. 2024). */
export const nabian2024 = defineExperiment({
  id: 'gnn/nabian2024',
  paper: {
    title: 'X-MeshGraphNet: Scalable Multi-Scale Graph Neural Networks for Physics Simulation',
    authors: 'Mohammad Amin Nabian, Chang Liu, Rishikesh Ranade, Sanjay Choudhry',
    year: 2024,
    url: 'https://arxiv.org/abs/2411.17164',
  },
  summary:
    'A MeshGraphNet (encode, L = 4 residual edge/node blocks with sum aggregation, decode; 16 units) learns a ' +
    'field with long-range reach — the sum of q·exp(−r/0.1) over 4 random point sources, the sources given as ' +
    'node features — on a generated 256-point cloud with a 6-nearest-neighbour graph. (c) 4 coordinate-' +
    'bisection partitions, each with an L-hop halo, with gradients accumulated over partitions, are compared ' +
    'with (a) the full graph at initialisation on the first batch: outputs, loss and gradients must agree to ' +
    'float precision (an (L − 1)-hop halo must not). From the same initial weights and on the same batches ' +
    '(200 Adam steps of 4 samples) the model is trained on (a) the full graph, (b) the partitions without ' +
    'halos, and (d) the full graph made multi-scale by kNN edges among a random 1/8 of the points. Checked: ' +
    '(b)’s errors concentrate at partition seams; (d) is more accurate than (a) at the same depth.',
  config,
  presets: {
    smoke: {
      points: 96,
      trainSamples: 4,
      testSamples: 2,
      hidden: 8,
      layers: 2,
      steps: 4,
      batch: 2,
      seeds: 2,
      sources: 2,
    },
    paper: {},
  },
  scalars: scalarKeys<Scalar>(),
  claims: [
    claim.custom({
      id: 'halo-equals-full',
      kind: 'paper',
      statement:
        'Partitions with L-hop halos and gradient aggregation give the full graph’s outputs, loss and gradients',
      source: {
        quote:
          'X-MeshGraphNet partitions large graphs and incorporates halo regions that enable seamless message passing across partitions. This, combined with gradient aggregation, ensures that training across partitions is equivalent to processing the entire graph at once',
        where: 'abstract; §3 (partitioning and halo)',
        restated:
          'relative errors of inner-node outputs, loss and gradients ≤ 1e-5 (float32) at initialisation, every seed',
      },
      rule: {
        text: `worst seed: max |Δout|/max |out|, |ΔL|/L and ‖Δg‖/‖g‖ all ≤ ${TOL}`,
        params: { tol: TOL },
      },
      check: (s) => ({
        verdict: kit.verdictOf(
          s.out_err_halo_max <= TOL && s.loss_err_halo_max <= TOL && s.grad_err_halo_max <= TOL,
        ),
        measured: `outputs ${s.out_err_halo_max.toExponential(2)}, loss ${s.loss_err_halo_max.toExponential(2)}, gradient ${s.grad_err_halo_max.toExponential(2)} (worst seed)`,
      }),
    }),
    claim.inRange({
      id: 'short-halo-detected',
      kind: 'control',
      statement:
        'Control: the check can fail — with an (L − 1)-hop halo the inner-node outputs are off by ≥ 10× the tolerance',
      value: 'out_err_short_min',
      range: [10 * TOL, Number.POSITIVE_INFINITY],
      label: 'relative output error with an (L − 1)-hop halo (best seed)',
      digits: 4,
    }),
    claim.beats({
      id: 'no-halo-seam-errors',
      kind: 'paper',
      statement: 'Without halos, errors concentrate at the partition seams',
      source: {
        quote: 'halo regions … enable seamless message passing across partitions',
        where: 'abstract; §3',
        restated:
          'seam/interior test-error ratio (seam: nodes whose L-hop neighbourhood crosses a partition) is larger for the no-halo model than for the full-graph model; compared as log ratios, paired over seeds',
      },
      requires: [claim.atLeast('seeds', 2, 'seeds')],
      gap: 'seam_log_ratio_gap',
      sem: 'seam_log_ratio_gap_sem',
      a: 'no-halo',
      b: 'full-graph',
      what: 'log(seam / interior error)',
      detail: (s) => `ratios ${kit.fmt(s.seam_ratio_nohalo, 2)} vs ${kit.fmt(s.seam_ratio_full, 2)}`,
    }),
    claim.beats({
      id: 'multiscale-improves',
      kind: 'paper',
      statement:
        'A multi-scale graph is more accurate on a long-range field than the single-scale graph at the same depth',
      source: {
        quote:
          'multi-scale graph construction … iterative combination of coarse and fine-resolution point clouds … allowing for efficient long-range interactions',
        where: 'abstract; §3 (multi-scale graphs)',
        restated:
          'relative test-MSE reduction (single − multi)/single > 0 by 2 s.e. over seeds, same L and width',
      },
      requires: [
        claim.atLeast('seeds', 2, 'seeds'),
        claim.trained('r2_full', 0.3, 'the full-graph model (test R²)'),
      ],
      gap: 'multiscale_gain',
      sem: 'multiscale_gain_sem',
      a: 'multi-scale',
      b: 'single-scale',
      what: 'relative test-MSE reduction',
    }),
    claim.inRange({
      id: 'model-learns',
      kind: 'control',
      statement: 'Control: the full-graph MeshGraphNet learns the field (test R² ≥ 0.3)',
      value: 'r2_full',
      range: [0.3, 1],
      label: 'test R² of the full-graph model (mean over seeds)',
    }),
  ],
  async run(ctx, cfg) {
    const done = await kit.runSeeds(ctx, cfg.seeds, (seed) => runSeed(cfg, seed, ctx.rng, ctx.signal), {
      describe: (r) => `grad err ${r.gradErrHalo.toExponential(1)}, MSE ${kit.fmt(r.mseFull)}`,
    });
    const res = done.map((d) => d.result);
    const ms = (k: keyof SeedResult) => kit.meanSem(res.map((r) => r[k] as number));
    const seamGap = kit.pairedGap(
      res.map((r) => Math.log(r.seamRatioNohalo)),
      res.map((r) => Math.log(r.seamRatioFull)),
    );
    const gain = kit.meanSem(res.map((r) => (r.mseFull - r.mseMultiscale) / r.mseFull));
    const scalars: Scalars<Scalar> = {
      seeds: cfg.seeds,
      layers: cfg.layers,
      grad_err_halo_max: Math.max(...res.map((r) => r.gradErrHalo)),
      loss_err_halo_max: Math.max(...res.map((r) => r.lossErrHalo)),
      grad_err_short_min: Math.min(...res.map((r) => r.gradErrShort)),
      out_err_halo_max: Math.max(...res.map((r) => r.outErrHalo)),
      out_err_short_min: Math.min(...res.map((r) => r.outErrShort)),
      r2_full: ms('r2Full').mean,
      ...(cfg.trainHalo
        ? { halo_train_diff_max: Math.max(...res.map((r) => Math.abs(r.mseHalo - r.mseFull) / r.mseFull)) }
        : {}),
      seam_ratio_full: ms('seamRatioFull').mean,
      seam_ratio_nohalo: ms('seamRatioNohalo').mean,
    };
    putMeanSem(scalars, 'seam_log_ratio_gap', seamGap);
    putMeanSem(scalars, 'multiscale_gain', gain);
    for (const [v, k] of [
      ['full', 'mseFull'],
      ['nohalo', 'mseNohalo'],
      ['multiscale', 'mseMultiscale'],
      ...(cfg.trainHalo ? ([['halo', 'mseHalo']] as const) : []),
    ] as const) {
      putMeanSem(scalars, `mse_${v}`, ms(k));
    }
    const rows: SeriesRow[] = done.map(({ cell, result }) => ({ seed: cell.seed, ...result }));
    return {
      scalars,
      series: { seeds: rows },
      tables: [
        kit.table(
          'variants',
          `Test MSE in standardised units (mean ± s.e. over ${cfg.seeds} seeds), same initial weights and batches`,
          ['variant', 'test MSE', '±', 'seam / interior error'],
          [
            ['(a) full graph', scalars.mse_full!, scalars.mse_full_sem!, scalars.seam_ratio_full!],
            ['(c) partitions + L-hop halo', scalars.mse_halo ?? null, scalars.mse_halo_sem ?? null, null],
            [
              '(b) partitions, no halo',
              scalars.mse_nohalo!,
              scalars.mse_nohalo_sem!,
              scalars.seam_ratio_nohalo!,
            ],
            ['(d) full graph, multi-scale', scalars.mse_multiscale!, scalars.mse_multiscale_sem!, null],
          ],
        ),
        kit.table(
          'equivalence',
          'Halo partitions vs the full graph at initialisation (first training batch)',
          [
            'seed',
            'gradient error, L-hop halo',
            'loss error, L-hop halo',
            'gradient error, (L − 1)-hop halo',
          ],
          res.map((r, i) => [i, r.gradErrHalo, r.lossErrHalo, r.gradErrShort]),
        ),
      ],
    };
  },
});
