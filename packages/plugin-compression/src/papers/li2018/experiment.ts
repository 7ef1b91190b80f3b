import { defineExperiment, scalarKeys, z } from '@paperlab/core';
import { type LabelledArrays, pickExamples } from '@paperlab/core/data';
import { claimsFor, fmt, grid, intervalVerdict, pm, runCells, seeds, type WithSem } from '@paperlab/core/kit';
import {
  CONFIG_LIMITS,
  countField,
  epochsField,
  lrField,
  seedsField,
  trainingConfig,
  widthSchema,
  widthsField,
} from '../../config/fields.js';
import { loadImageData, SMOKE_IMAGES } from '../../data/images.js';
import { dint90Of, dint90PerWidth, dint90Scalars } from './dint90.js';
import { dint90Plots, dint90Table, memorisationRows } from './report.js';
import { subspaceCells } from './subspaceCells.js';

const config = z.strictObject({
  trainSize: z.number().int().min(200).max(60_000).default(10_000).describe('MNIST training images'),
  testSize: z.number().int().min(100).max(10_000).default(2_000).describe('MNIST test images'),
  pool: z
    .number()
    .int()
    .min(1)
    .max(4)
    .default(2)
    .describe('average-pool factor (2: 28×28 → 14×14 = 196 inputs)'),
  widths: widthsField([32, 64]).describe('hidden widths of the FC nets'),
  depth: z.number().int().min(1).max(4).default(2).describe('hidden layers (paper: 784-200-200-10, depth 2)'),
  dims: z
    .array(z.number().int().min(1).max(100_000))
    .min(2)
    .max(CONFIG_LIMITS.sweep)
    .default([125, 250, 500, 1000, 2000])
    .describe('subspace dimensions d tried (ascending)'),
  seeds: seedsField(3).describe('independent (θ₀, P) draws per width'),
  ...trainingConfig({ epochs: 6, batchSize: 100, lr: 0.03 }),
  epochs: epochsField(6).describe('epochs of every training run (full and subspace)'),
  lr: lrField(0.03).describe('Adam step on θ_d (subspace training)'),
  baselineLr: lrField(3e-3).describe('Adam step of the full-parameter baseline'),
  projection: z
    .enum(['sparse', 'dense'])
    .default('sparse')
    .describe(
      'P: very sparse rows (≈√D non-zeros, Li et al.’s choice for larger nets) or dense Gaussian rows',
    ),
  shuffled: z
    .strictObject({
      trainSize: countField(500, 50, 60_000).describe('training images memorised (labels permuted)'),
      width: widthSchema(4).default(32),
      epochs: epochsField(60),
      batchSize: countField(50, 8, CONFIG_LIMITS.batchSize),
      seeds: seedsField(2),
    })
    .prefault({}),
});

/** Config of compression/li2018. */
export type Li2018Config = z.infer<typeof config>;

/** Scalars of compression/li2018. */
export type Li2018Scalar =
  | WithSem<'dint90' | 'log_width_ratio'>
  | 'dint90_reached'
  | 'dint90_narrow'
  | 'dint90_wide'
  | 'param_ratio'
  | 'n_widths'
  | 'seeds'
  | 'dmax'
  | 'baseline_acc'
  | 'baseline_acc_min'
  | 'params_narrow'
  | 'params_wide'
  | 'compression_ratio'
  | 'regen_max_diff'
  | 'real_train_dint90'
  | 'shuffled_dint90'
  | 'shuffled_reached'
  | 'shuffled_ratio'
  | 'shuffled_baseline_train_acc';

const claim = claimsFor<Li2018Config, Li2018Scalar>();

/** compression/li2018: Measuring the Intrinsic Dimension of Objective Landscapes (Li, Farkhoor, Liu, Yosinski, ICLR 2018). */
export const li2018 = defineExperiment({
  id: 'compression/li2018',
  paper: {
    title: 'Measuring the Intrinsic Dimension of Objective Landscapes',
    authors: 'Chunyuan Li, Heerad Farkhoor, Rosanne Liu, Jason Yosinski',
    year: 2018,
    url: 'https://arxiv.org/abs/1804.08838',
    venue: 'ICLR 2018',
  },
  summary:
    'Fully-connected ReLU nets on MNIST (2×2-pooled to 196 inputs, 10k training images) are trained only inside a ' +
    'random d-dimensional subspace θ = θ₀ + Pᵀθ_d of their D parameters, P (very sparse, unit rows) regenerated from a seed. Test accuracy ' +
    'against d gives d_int90, the smallest d reaching 90% of the full-parameter net’s accuracy, for two widths; the ' +
    'same measurement on training accuracy compares memorising permuted labels with learning the real ones. A ' +
    'trained model is stored as (seed, θ_d).',
  config,
  presets: {
    smoke: {
      ...SMOKE_IMAGES,
      widths: [8, 16],
      depth: 1,
      dims: [10, 40, 160],
      seeds: 1,
      epochs: 2,
      shuffled: { trainSize: 100, width: 16, epochs: 3, seeds: 1 },
    },
    paper: {},
  },
  scalars: scalarKeys<Li2018Scalar>(),
  claims: [
    claim.custom({
      id: 'dint90-mnist-fc',
      kind: 'paper',
      statement: 'The intrinsic dimension d_int90 of MNIST with a fully-connected net is about 750',
      source: {
        quote: 'for MNIST with a fully connected network … the intrinsic dimension d_int90 is 750',
        where: '§3.1, Figure 3 (FC on MNIST, 784-200-200-10)',
        value: 'd_int90 = 750 (650–1050 across widths and depths)',
        restated:
          'order of magnitude at CPU scale: within a factor 2 of 750, on 2×2-pooled MNIST with 10k images',
      },
      requires: [claim.trained('baseline_acc_min', 0.9, 'the full-parameter baseline')],
      rule: {
        text: 'mean d_int90 ± 2 s.e. inside [375, 1500] (a factor 2 around 750); not reproduced when wholly outside or when the largest d never reaches 90%',
        params: { lo: 375, hi: 1500, k: 2 },
      },
      check: (s) => {
        const [lo, hi] = [375, 1500];
        const measured = `d_int90 = ${pm(s.dint90, s.dint90_sem, 0)} (reached in ${fmt(100 * s.dint90_reached, 0)}% of cells; widths × ${s.seeds} seeds)`;
        if (s.dint90_reached < 1)
          return {
            verdict: s.dmax > hi ? 'not-reproduced' : 'inconclusive',
            measured: `${measured}; some cells never reach 90% by d = ${s.dmax}`,
          };
        return { verdict: intervalVerdict(s.dint90, s.dint90_sem, lo, hi), measured };
      },
    }),
    claim.custom({
      id: 'width-independence',
      kind: 'paper',
      statement:
        'd_int90 varies little across nets of different size: doubling the width leaves it within ×1.5',
      source: {
        quote:
          'the intrinsic dimension for a given dataset varies little across a family of models with vastly different sizes',
        where: 'abstract; §3.1, Figure 3',
        value: '650–1050 for FC widths 50–400 and depths 1–5',
        restated:
          'two widths (parameter counts differ by param_ratio); a d_int90 proportional to D would give the log ratio log(param_ratio)',
      },
      requires: [
        claim.atLeast('n_widths', 2, 'widths'),
        claim.trained('baseline_acc_min', 0.9, 'the full-parameter baseline'),
        claim.atLeast('dint90_reached', 1, '(fraction of cells reaching 90%)'),
      ],
      rule: {
        text: 'log(d_int90 widest / narrowest) ± 2 s.e. (paired over seeds) inside [−log 1.5, log 1.5]',
        params: { maxRatio: 1.5, k: 2 },
      },
      check: (s) => {
        const r = Math.log(1.5);
        return {
          verdict: intervalVerdict(s.log_width_ratio, s.log_width_ratio_sem, -r, r),
          measured: `d_int90 ${fmt(s.dint90_narrow, 0)} → ${fmt(s.dint90_wide, 0)} as D grows ×${fmt(s.param_ratio, 2)} (log ratio ${pm(s.log_width_ratio, s.log_width_ratio_sem)})`,
        };
      },
    }),
    claim.custom({
      id: 'shuffled-labels-harder',
      kind: 'paper',
      statement:
        'Memorising permuted labels needs a far larger subspace than learning the real labels of the same images',
      source: {
        quote: 'MNIST with shuffled labels … requires a much larger intrinsic dimension',
        where: '§3.3 (random labels), Table 1',
        value: 'd_int90 = 190,000 (shuffled) vs 750 (real) for the FC net',
        restated: 'on training accuracy of a 1k-image subset: d_int90(shuffled) ≥ 4 × d_int90(real)',
      },
      requires: [
        claim.trained('shuffled_baseline_train_acc', 0.9, 'the full-parameter net on permuted labels'),
      ],
      rule: {
        text: 'd_int90(shuffled)/d_int90(real) ≥ 4 (a lower bound dmax/d_int90(real) when shuffled never reaches 90%)',
        params: { minRatio: 4 },
      },
      check: (s) => {
        const bound = s.shuffled_reached < 1;
        const measured = `ratio ${bound ? '≥ ' : ''}${fmt(s.shuffled_ratio, 1)} (shuffled ${bound ? `> ${s.dmax}` : fmt(s.shuffled_dint90, 0)}, real ${fmt(s.real_train_dint90, 0)})`;
        return {
          verdict: s.shuffled_ratio >= 4 ? 'reproduced' : bound ? 'inconclusive' : 'not-reproduced',
          measured,
        };
      },
    }),
    claim.inRange({
      id: 'baseline-trains',
      kind: 'control',
      statement:
        'Control: every full-parameter baseline reaches 90% test accuracy (the reference for d_int90)',
      value: 'baseline_acc_min',
      range: [0.9, 1],
      label: 'lowest baseline test accuracy',
    }),
    claim.inRange({
      id: 'regenerated-from-seed',
      kind: 'control',
      statement:
        'Control: a model stored as (seeds, θ_d) regenerates the trained model exactly (P is never stored)',
      value: 'regen_max_diff',
      range: [0, 1e-5],
      label: 'max |Δlogit| after regeneration',
      digits: 7,
    }),
  ],
  datasets: () => ['mnist'],
  async run(ctx, cfg) {
    const data = await loadImageData(ctx.data, { ...cfg, dataset: 'mnist', flatten: true });
    const dims = [...cfg.dims].sort((a, b) => a - b);
    const dmax = dims[dims.length - 1]!;
    const widths = [...cfg.widths].sort((a, b) => a - b);
    const { trainCell, paramCounts } = subspaceCells(ctx, cfg, data.train.shape);

    // Real labels: full-parameter baselines (d = 0 marks them) and subspace training, scored on test accuracy.
    const cells = await runCells(ctx, {
      label: 'width × seed × d',
      cells: grid({ width: widths, seed: seeds(cfg.seeds), d: [0, ...dims] }),
      key: ({ width, seed, d }) => `real-w${width}-s${seed}-d${d}`,
      run: ({ width, seed, d }) =>
        trainCell(
          width,
          seed,
          d,
          { epochs: cfg.epochs, batchSize: cfg.batchSize, data: data.train, evalOn: data.test },
          seed === 0 && d === dims[0],
        ),
      describe: ({ width, seed, d }, r) => `width ${width} seed ${seed} d ${d || 'full'}: ${fmt(r.acc)}`,
      log: (_, r, i) => ({ scalars: { acc: r.acc, loss: r.loss }, step: i }),
    });
    // Permuted labels on a small subset, scored on training accuracy; real labels of the same images alongside.
    const sub = pickExamples(
      data.train,
      Array.from({ length: Math.min(cfg.shuffled.trainSize, data.train.n) }, (_, i) => i),
    );
    const perm = ctx.rng.split('label-permutation').permutation(sub.n);
    const shuffled: LabelledArrays = { ...sub, y: Int32Array.from(perm, (j) => sub.y[j]!) };
    const memo = await runCells(ctx, {
      label: 'labels × seed × d',
      cells: grid({
        labels: ['real', 'shuffled'] as const,
        seed: seeds(cfg.shuffled.seeds),
        d: [0, ...dims],
      }),
      key: ({ labels, seed, d }) => `memo-${labels}-s${seed}-d${d}`,
      run: ({ labels, seed, d }) => {
        const train = labels === 'real' ? sub : shuffled;
        return trainCell(cfg.shuffled.width, seed, d, { ...cfg.shuffled, data: train, evalOn: train }, false);
      },
      describe: ({ labels, seed, d }, r) => `${labels} seed ${seed} d ${d || 'full'}: train ${fmt(r.acc)}`,
    });

    // d_int90 per (width, seed): the first d reaching 90% of that seed's full-parameter accuracy.
    const { perWidth, rows } = dint90PerWidth(cells, dims, widths, seeds(cfg.seeds));
    const params = paramCounts(widths);
    const memoSeeds = seeds(cfg.shuffled.seeds);
    const scalars = dint90Scalars({
      perWidth,
      memoReal: memoSeeds.map((seed) => dint90Of(memo, dims, { labels: 'real', seed })),
      memoShuf: memoSeeds.map((seed) => dint90Of(memo, dims, { labels: 'shuffled', seed })),
      params,
      regen: cells.map((c) => c.result.regen).filter((v): v is number => v !== null),
      dmax,
      seeds: cfg.seeds,
    });
    return {
      scalars,
      series: { accuracy_vs_d: rows, memorisation: memorisationRows(memo) },
      plots: dint90Plots(),
      tables: [dint90Table(widths, params, perWidth, dmax)],
    };
  },
});
