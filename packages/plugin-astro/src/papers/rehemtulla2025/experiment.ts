import { defineExperiment, scalarKeys, z } from '@paperlab/core';
import { claimsFor, grid, pct, pctPm, runCells, seeds } from '@paperlab/core/kit';
import { imageExperimentConfig } from '../../config/imageExperiment.js';
import { seedCache } from '../../util/seedCache.js';
import { fineTune, INITS, type Init, seedData } from './cells.js';
import { alertReport, budgetScalars } from './report.js';

const base = imageExperimentConfig;
const config = z
  .strictObject({
    ...base,
    trainSize: base.trainSize.default(1000).describe('labelled alerts available (the largest label budget)'),
    testSize: base.testSize.default(1000).describe('simulated test alerts'),
    size: base.size.default(24).describe('stamp side (px)'),
    labels: z
      .array(z.number().int().min(20).max(50_000))
      .min(2)
      .max(4)
      .default([200, 1000])
      .describe('label budgets compared (each ≤ trainSize; fewest first)'),
    pretrainSize: z
      .number()
      .int()
      .min(50)
      .max(50_000)
      .default(3000)
      .describe('simulated galaxies for pre-training'),
    pretrainEpochs: z.number().int().min(1).max(100).default(5),
    epochs: base.epochs.default(20).describe('fine-tuning epochs (every label budget)'),
  })
  .refine((c) => Math.max(...c.labels) <= c.trainSize, {
    path: ['labels'],
    message: 'every label budget must be ≤ trainSize (the labelled pool); raise trainSize or lower labels',
  });

/** Config of astro/rehemtulla2025. */
export type Rehemtulla2025Config = z.infer<typeof config>;

/** Scalars of astro/rehemtulla2025. */
export type Rehemtulla2025Scalar =
  | `acc_${Init}_${'few' | 'many'}`
  | `gain_${'few' | 'many'}`
  | `gain_${'few' | 'many'}_sem`
  | 'pretrain_skill'
  | 'train_acc_min'
  | 'seeds';

const claim = claimsFor<Rehemtulla2025Config, Rehemtulla2025Scalar>();
const enoughSeeds = claim.atLeast('seeds', 3, 'seeds');
const allTrain = claim.trained('train_acc_min', 0.6, 'a fine-tuned model (training accuracy)');
const pretrained = claim.active(
  'pretrain_skill',
  0.1,
  'galaxy pre-training (vote skill 1 − RMSE/RMSE of the mean)',
);

const quote =
  'our results show that pre-training on galaxy images from Galaxy Zoo tends to yield better performance than pre-training on ImageNet or training from scratch';

/** astro/rehemtulla2025: Pre-training vision models for the classification of alerts from wide-field time-domain surveys. */
export const rehemtulla2025 = defineExperiment({
  id: 'astro/rehemtulla2025',
  paper: {
    title: 'Pre-training vision models for the classification of alerts from wide-field time-domain surveys',
    authors:
      'Nabeel Rehemtulla, Adam A. Miller, Mike Walmsley, Ved G. Shah, Theophile Jegou du Laz, Michael W. Coughlin, Argyro Sasli, Joshua Bloom, Christoffer Fremling, Matthew J. Graham, Steven L. Groom, David Hale, Ashish A. Mahabal, Daniel A. Perley, Josiah Purdum, Ben Rusholme, Jesper Sollerman, Mansi M. Kasliwal',
    year: 2025,
    url: 'https://arxiv.org/abs/2512.11957',
  },
  summary:
    'SIMULATED alert triplets (science, reference, difference of a host galaxy with field stars) — real transients ' +
    'vs bogus cosmic rays, bad columns and misregistration dipoles — classified real/bogus by a small CNN trained ' +
    'from scratch or initialised from the same CNN pre-trained on SIMULATED galaxy images (vote fractions of a ' +
    'volunteer model), with few (200) and more (1000) labels. The ImageNet pre-training and the standard ' +
    'architectures of the paper are not run.',
  config,
  presets: {
    smoke: {
      trainSize: 60,
      testSize: 60,
      size: 16,
      labels: [20, 60],
      pretrainSize: 60,
      pretrainEpochs: 1,
      filters: [4],
      dense: 8,
      epochs: 1,
      seeds: 2,
    },
    paper: {},
  },
  scalars: scalarKeys<Rehemtulla2025Scalar>(),
  claims: [
    claim.beats({
      id: 'galaxy-pretraining-helps-few',
      kind: 'paper',
      statement: 'With few labels, pre-training on galaxy images beats training from scratch',
      source: {
        quote,
        where: 'abstract',
        restated:
          'test accuracy, galaxy-pretrained − scratch, at the smallest label budget (200), paired over seeds; simulated alerts and galaxies, one small CNN',
      },
      requires: [enoughSeeds, allTrain, pretrained],
      gap: 'gain_few',
      sem: 'gain_few_sem',
      a: 'galaxy-pretrained accuracy',
      b: 'scratch accuracy',
      what: '(fewest labels)',
      format: (g, e) => pctPm(g, e),
      detail: (s) => `N = ${s.seeds}; ${pct(s.acc_scratch_few)} → ${pct(s.acc_galaxy_few)}`,
    }),
    claim.beats({
      id: 'galaxy-pretraining-helps-many',
      kind: 'paper',
      statement: 'With more labels, pre-training on galaxy images still beats training from scratch',
      source: {
        quote,
        where: 'abstract',
        restated: 'the same gap at the largest label budget (1000)',
      },
      requires: [enoughSeeds, allTrain, pretrained],
      gap: 'gain_many',
      sem: 'gain_many_sem',
      a: 'galaxy-pretrained accuracy',
      b: 'scratch accuracy',
      what: '(most labels)',
      format: (g, e) => pctPm(g, e),
      detail: (s) => `${pct(s.acc_scratch_many)} → ${pct(s.acc_galaxy_many)}`,
    }),
    claim.inRange({
      id: 'scratch-learns',
      kind: 'control',
      statement:
        'Control: the from-scratch CNN separates real from bogus with the most labels (accuracy ≥ 70%)',
      value: 'acc_scratch_many',
      range: [0.7, 1],
      label: 'scratch accuracy (most labels)',
    }),
    claim.inRange({
      id: 'pretraining-learns',
      kind: 'control',
      statement: 'Control: galaxy pre-training learned the vote task (skill 1 − RMSE/RMSE of the mean ≥ 0.1)',
      value: 'pretrain_skill',
      range: [0.1, 1],
      label: 'pre-training skill',
    }),
  ],
  async run(ctx, cfg) {
    const budgets = [...cfg.labels].sort((a, b) => a - b);
    const dataFor = seedCache((seed) => seedData(cfg, ctx.rng, seed, ctx.signal));
    const done = await runCells(ctx, {
      label: 'seed × labels × init',
      cells: grid({ seed: seeds(cfg.seeds), labels: budgets, init: INITS }),
      key: ({ seed, labels, init }) => `cell-${init}-n${labels}-s${seed}`,
      run: async ({ seed, labels, init }) =>
        fineTune(cfg, await dataFor(seed), init, labels, seed, ctx.rng, ctx.signal),
      describe: ({ seed, labels, init }, r) =>
        `${init} ${labels} labels seed ${seed}: accuracy ${pct(r.acc)}`,
      log: (_, r, i) => ({ scalars: { acc: r.acc, auc: r.auc }, step: i }),
    });
    const d0 = await dataFor(0);
    return { scalars: budgetScalars(done, budgets, cfg.seeds, d0), ...alertReport(cfg, done, budgets, d0) };
  },
});
