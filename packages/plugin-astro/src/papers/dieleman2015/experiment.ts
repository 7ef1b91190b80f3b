import { defineExperiment, scalarKeys, z } from '@paperlab/core';
import * as kit from '@paperlab/core/kit';
import { imageExperimentConfig } from '../../config/imageExperiment.js';
import { runModelCells } from '../../experiments/modelCells.js';
import { MODELS, type Model, seedData, trainCell } from './cells.js';
import { morphologyReport, morphologyScalars } from './report.js';

const base = imageExperimentConfig;
const config = z.strictObject({
  ...base,
  trainSize: base.trainSize.default(3000),
  testSize: base.testSize.default(600),
  size: base.size
    .default(24)
    .describe('image side (px); views are 45/69 of it, reaching 10/45 past the centre, as in the paper'),
  volunteers: z.number().int().min(5).max(100).default(40).describe('simulated volunteers per galaxy'),
  dense: base.dense.default(64),
  lr: base.lr.default(2e-3).describe('Adam step (all models)'),
});

/** Config of astro/dieleman2015. */
export type Dieleman2015Config = z.infer<typeof config>;

/** Scalars of astro/dieleman2015. */
export type Dieleman2015Scalar =
  | `rmse_${Model}`
  | `rot_${Model}`
  | `gain_${'plain' | 'augmented'}`
  | `gain_${'plain' | 'augmented'}_sem`
  | 'rot_gain'
  | 'rot_gain_sem'
  | 'confident_acc'
  | 'confident_acc_sem'
  | 'confident_n'
  | 'rmse_mean'
  | 'noise_floor'
  | 'skill_min'
  | 'seeds';

const claim = kit.claimsFor<Dieleman2015Config, Dieleman2015Scalar>();
const enoughSeeds = claim.atLeast('seeds', 3, 'seeds');
const allTrain = claim.trained(
  'skill_min',
  0.1,
  'a compared model (skill 1 − RMSE/RMSE of the mean predictor)',
);

/** astro/dieleman2015: Rotation-invariant convolutional neural networks for galaxy morphology prediction. */
export const dieleman2015 = defineExperiment({
  id: 'astro/dieleman2015',
  paper: {
    title: 'Rotation-invariant convolutional neural networks for galaxy morphology prediction',
    authors: 'Sander Dieleman, Kyle W. Willett, Joni Dambre',
    year: 2015,
    url: 'https://arxiv.org/abs/1503.07077',
    venue: 'MNRAS 450, 1441',
  },
  summary:
    'SIMULATED galaxies (Sérsic bulge + exponential disc, bars, log-spiral arms, random inclination and orientation, ' +
    'Moffat seeing, photon and read noise, arcsinh stretch) with vote fractions from a stochastic volunteer model ' +
    'over a reduced Galaxy Zoo tree (11 answers, weighted down the tree). The same small CNN trunk is trained three ' +
    'ways — on the image, on the image with random 90°-rotations/mirrors, and on Dieleman’s 16 rotated/flipped ' +
    'views with shared weights — and compared by test RMSE on the vote fractions and by rotation sensitivity.',
  config,
  presets: {
    smoke: {
      trainSize: 64,
      testSize: 50,
      size: 16,
      volunteers: 10,
      filters: [4],
      dense: 8,
      epochs: 1,
      batchSize: 32,
      seeds: 2,
    },
    paper: {},
  },
  scalars: scalarKeys<Dieleman2015Scalar>(),
  claims: [
    claim.beats({
      id: 'views-beat-plain',
      kind: 'paper',
      statement:
        'The 16-view rotation-invariant model predicts vote fractions better (lower RMSE) than a plain CNN',
      source: {
        quote:
          'We present a deep neural network model for galaxy morphology classification which exploits translational and rotational symmetry.',
        where: 'abstract',
        value:
          'final ensemble RMSE 0.07492 on the Galaxy Challenge private leaderboard (the number is not comparable here)',
        restated:
          'simulated galaxies and votes; test RMSE plain − 16-view, paired over seeds, same trunk and budget',
      },
      requires: [enoughSeeds, allTrain],
      gap: 'gain_plain',
      sem: 'gain_plain_sem',
      a: 'plain RMSE',
      b: '16-view RMSE',
      what: '(test vote fractions)',
      format: (g, e) => kit.pm(g, e, 4),
      detail: (s) => `N = ${s.seeds}; ${kit.fmt(s.rmse_plain, 4)} → ${kit.fmt(s.rmse_views, 4)}`,
    }),
    claim.beats({
      id: 'views-beat-augmented',
      kind: 'paper',
      statement: 'The 16-view model also beats the same CNN trained with rotation/mirror augmentation',
      source: {
        quote:
          'We present a deep neural network model for galaxy morphology classification which exploits translational and rotational symmetry.',
        where: 'abstract',
        restated:
          'symmetry exploited by the architecture (16 views) rather than by data alone: test RMSE augmented − 16-view, paired over seeds (augmentation: the 8 exact symmetries of the square)',
      },
      requires: [enoughSeeds, allTrain],
      gap: 'gain_augmented',
      sem: 'gain_augmented_sem',
      a: 'augmented RMSE',
      b: '16-view RMSE',
      what: '(test vote fractions)',
      format: (g, e) => kit.pm(g, e, 4),
      detail: (s) => `${kit.fmt(s.rmse_augmented, 4)} → ${kit.fmt(s.rmse_views, 4)}`,
    }),
    claim.beats({
      id: 'views-rotation-invariant',
      kind: 'paper',
      statement: 'The 16-view model’s predictions change less under rotation than the plain CNN’s',
      source: {
        quote: 'a deep neural network model … which exploits translational and rotational symmetry',
        where: 'abstract',
        restated:
          'RMS change of predictions under the 7 non-trivial 90°-rotations/mirrors, plain − 16-view, paired over seeds',
      },
      requires: [enoughSeeds, allTrain],
      gap: 'rot_gain',
      sem: 'rot_gain_sem',
      a: 'plain sensitivity',
      b: '16-view sensitivity',
      what: '(RMS prediction change)',
      format: (g, e) => kit.pm(g, e, 4),
      detail: (s) => `${kit.fmt(s.rot_plain, 4)} → ${kit.fmt(s.rot_views, 4)}`,
    }),
    claim.inRange({
      id: 'confident-accurate',
      kind: 'paper',
      statement:
        'Where volunteers agree (≥ 80% on smooth vs featured) the 16-view model reproduces their answer > 99% of the time',
      source: {
        quote:
          'For images with high agreement among the Galaxy Zoo participants, our model is able to reproduce their consensus with near-perfect accuracy (> 99 per cent) for most questions.',
        where: 'abstract',
        value: '> 99 per cent',
        restated: 'Q1 of the reduced tree, galaxies with ≥ 80% agreement; ≥ 30 such test galaxies',
      },
      requires: [enoughSeeds, allTrain, claim.atLeast('confident_n', 30, 'confident test galaxies')],
      value: 'confident_acc',
      sem: 'confident_acc_sem',
      range: [0.99, 1],
      label: 'agreement on confident galaxies',
    }),
    claim.inRange({
      id: 'models-learn',
      kind: 'control',
      statement: 'Control: every model beats the mean predictor by ≥ 10% RMSE (skill ≥ 0.1)',
      value: 'skill_min',
      range: [0.1, 1],
      label: 'lowest skill',
    }),
    claim.custom({
      id: 'above-vote-noise',
      kind: 'control',
      statement:
        'Control: no model beats the volunteer-noise floor (a model below it would mean leaked labels)',
      rule: { text: 'best RMSE ≥ noise floor RMSE(crowd 1, crowd 2)/√2 × 0.95' },
      check: (s) => {
        const best = Math.min(s.rmse_plain, s.rmse_augmented, s.rmse_views);
        return {
          verdict: kit.verdictOf(best >= 0.95 * s.noise_floor),
          measured: `best RMSE ${kit.fmt(best, 4)} vs floor ${kit.fmt(s.noise_floor, 4)}`,
        };
      },
    }),
  ],
  async run(ctx, cfg) {
    const cells = await runModelCells(ctx, cfg, {
      models: MODELS,
      data: seedData,
      train: trainCell,
      describe: ({ seed, model }, r) => `${model} seed ${seed}: RMSE ${kit.fmt(r.rmse, 4)}`,
      log: (_, r, i) => ({ scalars: { rmse: r.rmse, rot: r.rot }, step: i }),
    });
    const scalars = morphologyScalars(cells, cfg.seeds);
    return { scalars, ...morphologyReport(cfg, cells, scalars) };
  },
});
