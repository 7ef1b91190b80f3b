import { defineExperiment, scalarKeys, z } from '@paperlab/core';
import { claimsFor, fmt, pct, points, type WithSem } from '@paperlab/core/kit';
import {
  CONFIG_LIMITS,
  countField,
  seedsField,
  smallCnnConfig,
  trainingConfig,
} from '../../config/fields.js';
import { imageDataConfig, SMOKE_IMAGES } from '../../data/images.js';
import { runImageSeeds } from '../../train/cells.js';
import { allConfigs, allocate, allocationScalars } from './allocation.js';
import { measure } from './cells.js';
import { allocationReport } from './report.js';

const config = z.strictObject({
  ...imageDataConfig,
  ...smallCnnConfig({ filters: [8, 16], hidden: 32, minFilters: 1 }),
  ...trainingConfig({ epochs: 12, batchSize: 100, lr: 2e-3 }),
  bits: z
    .array(z.number().int().min(2).max(8))
    .min(2)
    .max(7)
    .default([2, 4, 8])
    .describe('bit widths each layer may take'),
  budgets: z
    .array(z.number().positive().max(32))
    .min(1)
    .max(CONFIG_LIMITS.sweep)
    .default([2.5, 3, 3.5, 4, 5, 6])
    .describe('size budgets in average bits per weight'),
  hessianBatch: countField(500, 16, 10_000).describe('training images the Hessian is measured on'),
  hutchinson: countField(32, 2, 4096).describe('Rademacher probes per layer'),
  probe: z
    .enum(['per-block', 'joint'])
    .default('per-block')
    .describe('Hutchinson probes drawn inside each layer (per-block) or over all layers at once (joint)'),
  powerIterations: countField(20, 2, 1000),
  seeds: seedsField(3),
});

/** Config of compression/dong2019. */
export type Dong2019Config = z.infer<typeof config>;

/** Scalars of compression/dong2019. */
export type Dong2019Scalar =
  | 'fp_acc'
  | 'fp_acc_min'
  | WithSem<'gain_random' | 'gain_eig' | 'gain_uniform4'>
  | 'differ_frac'
  | 'spearman_trace'
  | 'spearman_eig'
  | 'trace_rel_sem_max'
  | 'configs'
  | 'seeds'
  | 'oracle_gap';

const claim = claimsFor<Dong2019Config, Dong2019Scalar>();
const fpTrained = claim.trained('fp_acc_min', 0.8, 'the float32 model');
const threeSeeds = claim.atLeast('seeds', 3, 'seeds');

/** compression/dong2019: HAWQ-V2: Hessian Aware trace-Weighted Quantization of Neural Networks. */
export const dong2019 = defineExperiment({
  id: 'compression/dong2019',
  paper: {
    title: 'HAWQ-V2: Hessian Aware trace-Weighted Quantization of Neural Networks',
    authors: 'Zhen Dong, Zhewei Yao, Daiyaan Arfeen, Amir Gholami, Michael W. Mahoney, Kurt Keutzer',
    year: 2019,
    url: 'https://arxiv.org/abs/1911.03852',
    venue: 'NeurIPS 2020',
  },
  summary:
    'A four-layer CNN on 2×2-pooled Fashion-MNIST is trained in float32; the Hessian of its loss is measured per layer ' +
    '(Hutchinson trace, power-iteration top eigenvalue, both from finite-difference Hessian-vector products). Each ' +
    'layer may take 2, 4 or 8 bits (symmetric per-channel weights, post-training): all 81 configurations are scored ' +
    'by HAWQ-V2’s Ω = Σ Tr(H_l)/n_l·‖Q(W_l) − W_l‖² and by its top-eigenvalue analogue, and evaluated exactly. At ' +
    'equal size budgets, the trace-chosen configuration is compared with the eigenvalue-chosen one, a random ' +
    'configuration and uniform 4-bit.',
  config,
  presets: {
    smoke: {
      ...SMOKE_IMAGES,
      filters: [2, 4],
      hidden: 8,
      epochs: 2,
      hessianBatch: 64,
      hutchinson: 4,
      powerIterations: 3,
      seeds: 1,
    },
    paper: {},
  },
  scalars: scalarKeys<Dong2019Scalar>(),
  claims: [
    claim.beats({
      id: 'trace-beats-random',
      kind: 'paper',
      statement:
        'At equal model size, the trace-weighted (HAWQ-V2) bit allocation is more accurate than a random allocation',
      source: {
        quote:
          'a Pareto frontier based method for selecting the exact bit precision of different layers without any manual selection',
        where: 'abstract; §3.2, Figure 4 (Pareto frontier)',
        restated:
          'post-training accuracy of the min-Ω configuration within each budget vs the mean over all configurations within it, averaged over budgets',
      },
      requires: [threeSeeds, fpTrained],
      gap: 'gain_random',
      sem: 'gain_random_sem',
      a: 'trace-chosen',
      b: 'random',
      what: 'test accuracy',
      format: points,
      detail: (s) => `mean over budgets, N = ${s.seeds} seeds`,
    }),
    claim.custom({
      id: 'trace-beats-eigenvalue',
      kind: 'paper',
      statement:
        'The average Hessian eigenvalue (trace) is a better sensitivity than the top eigenvalue (HAWQ-V1): its allocations are more accurate',
      source: {
        quote: 'a better sensitivity metric is to compute the average of all of the Hessian eigenvalues',
        where: 'abstract; §3.1',
        restated:
          'accuracy gap trace-chosen − eigenvalue-chosen at equal budgets, over the budgets where the two choose differently',
      },
      requires: [
        threeSeeds,
        fpTrained,
        claim.active(
          'differ_frac',
          0.1,
          'a difference between the two criteria (fraction of budgets where they choose differently)',
        ),
      ],
      rule: {
        text: 'trace − eigenvalue accuracy gap > 0 by 2 s.e. (paired over seeds); inconclusive when it straddles 0',
        params: { margin: 0, k: 2 },
      },
      check: (s) => {
        const [lo, hi] = [s.gain_eig - 2 * s.gain_eig_sem, s.gain_eig + 2 * s.gain_eig_sem];
        return {
          verdict:
            lo > 0 ? 'reproduced' : hi < 0 || (hi === 0 && lo === 0) ? 'not-reproduced' : 'inconclusive',
          measured: `trace − eigenvalue: ${points(s.gain_eig, s.gain_eig_sem)} (choices differ at ${pct(s.differ_frac, 0)} of budgets)`,
        };
      },
    }),
    claim.beats({
      id: 'mixed-beats-uniform',
      kind: 'paper',
      statement:
        'Within the size of uniform 4-bit weights, the trace-chosen mixed precision is at least as accurate as uniform 4-bit',
      source: {
        quote: 'mixed-precision quantization, where more sensitive layers are kept at higher precision',
        where: 'abstract; Tables 1–3 (HAWQ-V2 vs uniform quantisation at similar size)',
        restated: 'one budget (uniform 4-bit size); gap > −0.5 points by 2 s.e. (no worse than uniform)',
      },
      requires: [threeSeeds, fpTrained],
      gap: 'gain_uniform4',
      sem: 'gain_uniform4_sem',
      margin: -0.005,
      a: 'trace-chosen',
      b: 'uniform 4-bit',
      what: 'test accuracy',
      format: points,
    }),
    claim.inRange({
      id: 'omega-ranks-damage',
      kind: 'control',
      statement:
        'Control: the trace-weighted Ω ranks the 81 configurations by their accuracy (Spearman of Ω vs −accuracy ≥ 0.5)',
      value: 'spearman_trace',
      range: [0.5, 1],
      label: 'Spearman(Ω_trace, accuracy drop)',
      detail: (s) => `eigenvalue Ω: ${fmt(s.spearman_eig)}`,
    }),
    claim.inRange({
      id: 'float-model-trains',
      kind: 'control',
      statement: 'Control: the float32 CNN reaches 80% test accuracy on pooled Fashion-MNIST in every seed',
      value: 'fp_acc_min',
      range: [0.8, 1],
      label: 'lowest float32 test accuracy',
    }),
    claim.inRange({
      id: 'traces-converged',
      kind: 'control',
      statement: 'Control: the Hutchinson traces are resolved (largest relative standard error ≤ 0.25)',
      value: 'trace_rel_sem_max',
      range: [0, 0.25],
      label: 'max s.e./trace over layers and seeds',
    }),
  ],
  datasets: (cfg) => [cfg.dataset],
  async run(ctx, cfg) {
    const done = await runImageSeeds(
      ctx,
      cfg,
      (data, seed) => measure(ctx, cfg, seed, data),
      (r) => `float ${pct(r.fpAcc)}`,
    );
    const configs = allConfigs(done[0]!.result.traces.length, cfg.bits);
    const u4 = configs.findIndex((c) => c.every((b) => b === 4));
    const per = done.map(({ result }) => allocate(result, cfg.budgets, u4));
    const scalars = allocationScalars(done, per, cfg);
    return { scalars, ...allocationReport(per, done[0]!.result, scalars, cfg.budgets) };
  },
});
