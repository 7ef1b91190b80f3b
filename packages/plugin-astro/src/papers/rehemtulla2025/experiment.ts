import { defineExperiment, type Rng, type Scalars, type SeriesRow, scalarKeys, z } from '@paperlab/core';
import {
  claimsFor,
  fmt,
  grid,
  mean,
  pairedGap,
  pct,
  pick,
  putMeanSem,
  runCells,
  seeds,
  table,
} from '@paperlab/core/kit';
import { imageGridPlot } from '@paperlab/core/plots';
import { Sequential } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { imageExperimentConfig } from '../../config/imageExperiment.js';
import { ALERT_KINDS, synthesizeAlerts } from '../../images/alerts.js';
import { galaxyImages } from '../../images/galaxyData.js';
import { galleryRows } from '../../images/gallery.js';
import { logitAccuracy, rocAuc } from '../../metrics/classification.js';
import { meanPredictorRmse, rmse } from '../../metrics/regression.js';
import { fitAdam } from '../../nets/fitAdam.js';
import { predictHost } from '../../nets/predict.js';
import { smallCnn } from '../../nets/smallCnn.js';
import { seedCache } from '../../util/seedCache.js';
import { GZ_OUTPUTS, volunteerVotes } from '../../votes/galaxyZoo.js';

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

const INITS = ['scratch', 'galaxy'] as const;
type Init = (typeof INITS)[number];
type Scalar =
  | `acc_${Init}_${'few' | 'many'}`
  | `gain_${'few' | 'many'}`
  | `gain_${'few' | 'many'}_sem`
  | 'pretrain_skill'
  | 'train_acc_min'
  | 'seeds';

type CellOut = { acc: number; auc: number; trainAcc: number };

const claim = claimsFor<Rehemtulla2025Config, Scalar>();
const enoughSeeds = claim.atLeast('seeds', 3, 'seeds');
const allTrain = claim.trained('train_acc_min', 0.6, 'a fine-tuned model (training accuracy)');
const pretrained = claim.active(
  'pretrain_skill',
  0.1,
  'galaxy pre-training (vote skill 1 − RMSE/RMSE of the mean)',
);

type SeedData = {
  x: Float32Array;
  y: Float32Array;
  testX: Float32Array;
  testY: Float32Array;
  kinds: Int32Array;
  /** Pre-trained trunk weights (all but the output layer), host copies. */
  trunk: Float32Array[];
  pretrainSkill: number;
};

/** One seed: alerts, and a CNN pre-trained on simulated galaxies (image in all 3 channels) to predict votes. */
async function seedData(
  cfg: Rehemtulla2025Config,
  root: Rng,
  seed: number,
  signal: AbortSignal,
): Promise<SeedData> {
  const rng = root.split(`data-s${seed}`);
  const alerts = synthesizeAlerts(rng.split('alerts'), cfg.trainSize + cfg.testSize, { size: cfg.size });
  const per = cfg.size * cfg.size * 3;
  const y = Float32Array.from(alerts.label);
  const { params, images } = galaxyImages(rng.split('galaxies'), cfg.pretrainSize + 500, {
    size: cfg.size,
    companions: 0.3,
    stars: 0.3,
  });
  const votes = volunteerVotes(params.truth, rng.split('votes'), { volunteers: 40 });
  const rgb = new Float32Array(images.length * 3);
  for (let i = 0; i < images.length; i++) rgb.fill(images[i]!, 3 * i, 3 * i + 3);
  const net = Sequential.build(
    smallCnn(cfg, { type: 'dense', units: GZ_OUTPUTS, activation: 'sigmoid', init: 'glorot' }),
    [cfg.size, cfg.size, 3],
    rng.split('pretrain-init'),
    'galaxy-pretrain',
  );
  try {
    await fitAdam(cfg, {
      model: net,
      data: {
        x: rgb.subarray(0, cfg.pretrainSize * per),
        y: votes.subarray(0, cfg.pretrainSize * GZ_OUTPUTS),
        n: cfg.pretrainSize,
        shape: [cfg.size, cfg.size, 3],
        targetShape: [GZ_OUTPUTS],
      },
      loss: 'mse',
      epochs: cfg.pretrainEpochs,
      order: rng.split('pretrain-order'),
      signal,
      label: 'galaxy pre-training',
    });
    const heldY = votes.subarray(cfg.pretrainSize * GZ_OUTPUTS);
    const pred = predictHost(net, rgb.subarray(cfg.pretrainSize * per), [cfg.size, cfg.size, 3]);
    const vars = net.variables();
    return {
      x: alerts.x.subarray(0, cfg.trainSize * per),
      y: y.subarray(0, cfg.trainSize),
      testX: alerts.x.subarray(cfg.trainSize * per),
      testY: y.subarray(cfg.trainSize),
      kinds: alerts.kind,
      trunk: vars.slice(0, vars.length - 2).map((v) => v.dataSync().slice() as Float32Array),
      pretrainSkill:
        1 -
        rmse(pred, heldY) /
          meanPredictorRmse(votes.subarray(0, cfg.pretrainSize * GZ_OUTPUTS), heldY, GZ_OUTPUTS),
    };
  } finally {
    net.dispose();
  }
}

async function fineTune(
  cfg: Rehemtulla2025Config,
  d: SeedData,
  init: Init,
  labels: number,
  seed: number,
  rng: Rng,
  signal: AbortSignal,
): Promise<CellOut> {
  const shape = [cfg.size, cfg.size, 3];
  const net = Sequential.build(
    smallCnn(cfg, { type: 'dense', units: 1, init: 'glorot' }),
    shape,
    rng.split(`init-s${seed}-n${labels}`),
    'alert-cnn',
  );
  try {
    if (init === 'galaxy')
      for (const [i, v] of net.variables().entries()) {
        const w = d.trunk[i];
        if (!w) continue;
        const t = tf.tensor(w, v.shape);
        v.assign(t);
        t.dispose();
      }
    const per = cfg.size * cfg.size * 3;
    const x = d.x.subarray(0, labels * per);
    const y = d.y.subarray(0, labels);
    await fitAdam(cfg, {
      model: net,
      data: { x, y, n: labels, shape, targetShape: [1] },
      loss: 'sigmoid-ce',
      order: rng.split(`order-s${seed}-n${labels}`),
      signal,
      label: `${init} alert CNN (${labels} labels)`,
    });
    const scores = predictHost(net, d.testX, shape);
    const train = predictHost(net, x, shape);
    return {
      acc: logitAccuracy(scores, d.testY),
      auc: rocAuc(scores, d.testY),
      trainAcc: logitAccuracy(train, y),
    };
  } finally {
    net.dispose();
  }
}

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
  scalars: scalarKeys<Scalar>(),
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
      format: (g, e) => `${pct(g)} ± ${pct(e)}`,
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
      format: (g, e) => `${pct(g)} ± ${pct(e)}`,
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
    const few = budgets[0]!;
    const many = budgets[budgets.length - 1]!;
    const acc = (init: Init, labels: number) => pick(done, { init, labels }).map((r) => r.acc);
    const scalars: Scalars<Scalar> = {
      seeds: cfg.seeds,
      train_acc_min: Math.min(...done.map((d) => d.result.trainAcc)),
    };
    for (const [tag, n] of [
      ['few', few],
      ['many', many],
    ] as const) {
      scalars[`acc_scratch_${tag}`] = mean(acc('scratch', n));
      scalars[`acc_galaxy_${tag}`] = mean(acc('galaxy', n));
      putMeanSem(scalars, `gain_${tag}`, pairedGap(acc('galaxy', n), acc('scratch', n)));
    }
    const d0 = await dataFor(0);
    scalars.pretrain_skill = d0.pretrainSkill;
    // Gallery: the first 4 test alerts, each as science / reference / difference.
    const per = cfg.size * cfg.size;
    const show = Math.min(4, cfg.testSize);
    const single = new Float32Array(show * 3 * per);
    const names: string[] = [];
    for (let k = 0; k < show; k++)
      for (let c = 0; c < 3; c++) {
        for (let j = 0; j < per; j++) single[(k * 3 + c) * per + j] = d0.testX[(k * per + j) * 3 + c]!;
        names.push(
          `${ALERT_KINDS[d0.kinds[cfg.trainSize + k]!]} ${['science', 'reference', 'difference'][c]}`,
        );
      }
    const rows: SeriesRow[] = done.map(({ cell, result: r }) => ({ ...cell, ...r }));
    return {
      scalars,
      series: { gallery: galleryRows(single, cfg.size, names), cells: rows },
      plots: [
        imageGridPlot({
          id: 'alert-gallery',
          title: 'Simulated alert triplets (seed 0 test set)',
          series: 'gallery',
          columns: 3,
        }),
      ],
      tables: [
        table(
          'budgets',
          'Test accuracy and AUC by label budget and initialisation (mean over seeds)',
          ['labels', 'init', 'accuracy', 'AUC', 'train acc'],
          budgets.flatMap((n) =>
            INITS.map((init) => {
              const r = pick(done, { init, labels: n });
              return [
                n,
                init,
                pct(mean(r.map((q) => q.acc))),
                fmt(mean(r.map((q) => q.auc))),
                pct(mean(r.map((q) => q.trainAcc))),
              ];
            }),
          ),
        ),
      ],
    };
  },
});
