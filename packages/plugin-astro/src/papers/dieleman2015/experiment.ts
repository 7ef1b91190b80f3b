import { defineExperiment, type Rng, type Scalars, type SeriesRow, scalarKeys, z } from '@paperlab/core';
import * as kit from '@paperlab/core/kit';
import { putMeanSem } from '@paperlab/core/kit';
import { imageGridPlot } from '@paperlab/core/plots';
import { type LayerSpec, Sequential, type Trainee } from '@paperlab/core/train';
import { imageExperimentConfig } from '../../config/imageExperiment.js';
import { runModelCells } from '../../experiments/modelCells.js';
import { dihedral, dihedralBatches } from '../../images/dihedral.js';
import type { GalaxyTruth } from '../../images/galaxy.js';
import { galaxyImages } from '../../images/galaxyData.js';
import { galleryRows } from '../../images/gallery.js';
import { meanPredictorRmse, rmse } from '../../metrics/regression.js';
import { fitAdam } from '../../nets/fitAdam.js';
import { MultiViewNet } from '../../nets/multiView.js';
import { predictHost } from '../../nets/predict.js';
import { convStages, smallCnn } from '../../nets/smallCnn.js';
import { GZ_OUTPUTS, volunteerVotes } from '../../votes/galaxyZoo.js';

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

const MODELS = ['plain', 'augmented', 'views'] as const;
type Model = (typeof MODELS)[number];
type Scalar =
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

type CellOut = {
  rmse: number;
  rot: number;
  confidentAcc: number;
  confidentN: number;
  rmseMean: number;
  floor: number;
};

const claim = kit.claimsFor<Dieleman2015Config, Scalar>();
const enoughSeeds = claim.atLeast('seeds', 3, 'seeds');
const allTrain = claim.trained(
  'skill_min',
  0.1,
  'a compared model (skill 1 − RMSE/RMSE of the mean predictor)',
);

/** Dieleman's proportions: 45-px views of 69-px images, reaching 10 px past the centre. */
function viewAttrs(size: number) {
  const view = Math.round((size * 45) / 69);
  return { view, margin: Math.max(1, Math.round((view * 10) / 45)) };
}

/** The vote-fraction output: one sigmoid per answer. */
const VOTES_OUT: LayerSpec = { type: 'dense', units: GZ_OUTPUTS, activation: 'sigmoid', init: 'glorot' };

function build(cfg: Dieleman2015Config, model: Model, rng: Rng): Trainee & { dispose(): void } {
  if (model === 'views') {
    const head: LayerSpec[] = [{ type: 'dense', units: cfg.dense, activation: 'relu' }, VOTES_OUT];
    return MultiViewNet.build(convStages(cfg.filters), head, viewAttrs(cfg.size), 1, rng);
  }
  return Sequential.build(smallCnn(cfg, VOTES_OUT), [cfg.size, cfg.size, 1], rng, 'cnn');
}

type SeedData = {
  x: Float32Array;
  y: Float32Array;
  testX: Float32Array;
  testY: Float32Array;
  floor: number;
  truth: GalaxyTruth;
};

function seedData(cfg: Dieleman2015Config, root: Rng, seed: number): SeedData {
  const rng = root.split(`data-s${seed}`);
  const n = cfg.trainSize + cfg.testSize;
  const { params, images } = galaxyImages(rng, n, { size: cfg.size, companions: 0.3, stars: 0.3 });
  const votes = volunteerVotes(params.truth, rng.split('votes'), { volunteers: cfg.volunteers });
  const per = cfg.size * cfg.size;
  const testY = votes.subarray(cfg.trainSize * GZ_OUTPUTS);
  // A second, independent crowd on the test galaxies: RMSE(crowd 1, crowd 2)/√2 is the floor no model can beat.
  const again = volunteerVotes(params.truth, rng.split('votes-again'), { volunteers: cfg.volunteers });
  const floor = rmse(again.subarray(cfg.trainSize * GZ_OUTPUTS), testY) / Math.SQRT2;
  return {
    x: images.subarray(0, cfg.trainSize * per),
    y: votes.subarray(0, cfg.trainSize * GZ_OUTPUTS),
    testX: images.subarray(cfg.trainSize * per),
    testY,
    floor,
    truth: params.truth,
  };
}

async function trainCell(
  cfg: Dieleman2015Config,
  data: SeedData,
  model: Model,
  seed: number,
  rng: Rng,
  signal: AbortSignal,
): Promise<CellOut> {
  const net = build(cfg, model, rng.split(`init-s${seed}`));
  const shape = [cfg.size, cfg.size, 1];
  try {
    await fitAdam(cfg, {
      model: net,
      data:
        model === 'augmented'
          ? dihedralBatches(
              data.x,
              data.y,
              { n: cfg.trainSize, size: cfg.size, channels: 1, targetSize: GZ_OUTPUTS },
              rng.split(`aug-s${seed}`),
            )
          : { x: data.x, y: data.y, n: cfg.trainSize, shape, targetShape: [GZ_OUTPUTS] },
      loss: 'mse',
      order: rng.split(`order-s${seed}`),
      signal,
      label: `${model} CNN`,
    });
    const pred = predictHost(net, data.testX, shape);
    // Rotation sensitivity: RMS change of the predictions under the 7 other symmetries of the square.
    let rot = 0;
    for (let t = 1; t < 8; t++)
      rot += rmse(predictHost(net, dihedral(data.testX, cfg.size, 1, t), shape), pred) / 7;
    // Confident galaxies: ≥ 80% of volunteers agree on Q1 (smooth vs featured).
    let hit = 0;
    let count = 0;
    for (let i = 0; i < cfg.testSize; i++) {
      const v = data.testY.subarray(i * GZ_OUTPUTS, i * GZ_OUTPUTS + 2);
      if (Math.max(v[0]!, v[1]!) < 0.8) continue;
      count++;
      if (v[0]! > v[1]! === pred[i * GZ_OUTPUTS]! > pred[i * GZ_OUTPUTS + 1]!) hit++;
    }
    return {
      rmse: rmse(pred, data.testY),
      rot,
      confidentAcc: count ? hit / count : Number.NaN,
      confidentN: count,
      rmseMean: meanPredictorRmse(data.y, data.testY, GZ_OUTPUTS),
      floor: data.floor,
    };
  } finally {
    net.dispose();
  }
}

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
  scalars: scalarKeys<Scalar>(),
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
      format: (g, e) => `${kit.fmt(g, 4)} ± ${kit.fmt(e, 4)}`,
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
      format: (g, e) => `${kit.fmt(g, 4)} ± ${kit.fmt(e, 4)}`,
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
      format: (g, e) => `${kit.fmt(g, 4)} ± ${kit.fmt(e, 4)}`,
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
    const { done, by, dataFor } = await runModelCells(ctx, cfg, {
      models: MODELS,
      data: seedData,
      train: trainCell,
      describe: ({ seed, model }, r) => `${model} seed ${seed}: RMSE ${kit.fmt(r.rmse, 4)}`,
      log: (_, r, i) => ({ scalars: { rmse: r.rmse, rot: r.rot }, step: i }),
    });
    const scalars: Scalars<Scalar> = { seeds: cfg.seeds };
    for (const m of MODELS) {
      scalars[`rmse_${m}`] = kit.mean(by(m, 'rmse'));
      scalars[`rot_${m}`] = kit.mean(by(m, 'rot'));
    }
    for (const ref of ['plain', 'augmented'] as const)
      putMeanSem(scalars, `gain_${ref}`, kit.pairedGap(by(ref, 'rmse'), by('views', 'rmse')));
    putMeanSem(scalars, 'rot_gain', kit.pairedGap(by('plain', 'rot'), by('views', 'rot')));
    putMeanSem(scalars, 'confident_acc', kit.meanSem(by('views', 'confidentAcc')));
    scalars.confident_n = Math.min(...by('views', 'confidentN'));
    scalars.rmse_mean = kit.mean(by('views', 'rmseMean'));
    scalars.noise_floor = kit.mean(by('views', 'floor'));
    scalars.skill_min = Math.min(...done.map((d) => 1 - d.result.rmse / d.result.rmseMean));
    // Gallery: the first test galaxies of seed 0, with their true morphology.
    const d0 = dataFor(0);
    const show = Math.min(8, cfg.testSize);
    const t = d0.truth;
    const labels = Array.from({ length: show }, (_, k) => {
      const i = cfg.trainSize + k;
      if (!(t.discFrac[i]! > 0)) return 'smooth';
      if (t.discQ[i]! < 0.3) return 'edge-on disc';
      return ['disc', t.barFrac[i]! > 0 ? 'bar' : '', t.armAmp[i]! > 0 ? 'arms' : '']
        .filter(Boolean)
        .join(' + ');
    });
    const gallery = galleryRows(d0.testX, cfg.size, labels);
    const rows: SeriesRow[] = done.map(({ cell, result: r }) => ({
      ...cell,
      rmse: r.rmse,
      rotation_sensitivity: r.rot,
    }));
    return {
      scalars,
      series: { gallery, cells: rows },
      plots: [
        imageGridPlot({
          id: 'galaxy-gallery',
          title: 'Simulated galaxies (test set, seed 0), arcsinh stretch',
          series: 'gallery',
        }),
      ],
      tables: [
        kit.table(
          'models',
          'Test RMSE on the 11 vote fractions and rotation sensitivity (mean over seeds)',
          ['model', 'RMSE', 'rotation sensitivity'],
          MODELS.map((m) => [m, kit.fmt(scalars[`rmse_${m}`], 4), kit.fmt(scalars[`rot_${m}`], 4)]),
        ),
        kit.table(
          'references',
          'Reference levels',
          ['mean predictor RMSE', 'volunteer-noise floor', 'confident agreement (16-view)'],
          [[kit.fmt(scalars.rmse_mean, 4), kit.fmt(scalars.noise_floor, 4), kit.pct(scalars.confident_acc)]],
        ),
      ],
    };
  },
});
