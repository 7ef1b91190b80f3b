import type { Rng } from '@paperlab/core';
import { type LayerSpec, predictInBatches, Sequential, type Trainee } from '@paperlab/core/train';
import { dihedral, dihedralBatches } from '../../images/dihedral.js';
import type { GalaxyTruth } from '../../images/galaxy.js';
import { galaxyImages } from '../../images/galaxyData.js';
import { meanPredictorRmse, rmse } from '../../metrics/regression.js';
import { fitAdam } from '../../nets/fitAdam.js';
import { MultiViewNet } from '../../nets/multiView.js';
import { convStages, smallCnn } from '../../nets/smallCnn.js';
import { splitAt, type TrainTest } from '../../util/trainTest.js';
import { GZ_OUTPUTS, volunteerVotes } from '../../votes/galaxyZoo.js';
import type { Dieleman2015Config } from './experiment.js';

/** The compared models: a plain CNN, the same CNN with rotation/mirror augmentation, Dieleman's 16 views. */
export const MODELS = ['plain', 'augmented', 'views'] as const;
/** One of {@link MODELS}. */
export type Model = (typeof MODELS)[number];

/** What one trained model measures on one seed's test set. */
export type CellOut = {
  rmse: number;
  rot: number;
  confidentAcc: number;
  confidentN: number;
  rmseMean: number;
  floor: number;
};

/** Dieleman's proportions: 45-px views of 69-px images, reaching 10 px past the centre. */
function viewAttrs(size: number) {
  const view = Math.round((size * 45) / 69);
  return { view, margin: Math.max(1, Math.round((view * 10) / 45)) };
}

/** The vote-fraction output: one sigmoid per answer. */
const VOTES_OUT: LayerSpec = { type: 'dense', units: GZ_OUTPUTS, activation: 'sigmoid', init: 'glorot' };

/** One of the three compared models, built on the same trunk. */
function build(cfg: Dieleman2015Config, model: Model, rng: Rng): Trainee & { dispose(): void } {
  if (model === 'views') {
    const head: LayerSpec[] = [{ type: 'dense', units: cfg.dense, activation: 'relu' }, VOTES_OUT];
    return MultiViewNet.build(convStages(cfg.filters), head, viewAttrs(cfg.size), 1, rng);
  }
  return Sequential.build(smallCnn(cfg, VOTES_OUT), [cfg.size, cfg.size, 1], rng, 'cnn');
}

/** One seed's galaxies and votes, and the volunteer-noise floor of its test set. */
export type SeedData = TrainTest & {
  floor: number;
  truth: GalaxyTruth;
};

/** One seed: simulated galaxies, volunteer votes, and a second crowd on the test galaxies for the floor. */
export function seedData(cfg: Dieleman2015Config, root: Rng, seed: number): SeedData {
  const rng = root.split(`data-s${seed}`);
  const n = cfg.trainSize + cfg.testSize;
  const { params, images } = galaxyImages(rng, n, { size: cfg.size, companions: 0.3, stars: 0.3 });
  const votes = volunteerVotes(params.truth, rng.split('votes'), { volunteers: cfg.volunteers });
  const split = splitAt(images, votes, cfg.trainSize, cfg.size * cfg.size, GZ_OUTPUTS);
  // A second, independent crowd on the test galaxies: RMSE(crowd 1, crowd 2)/√2 is the floor no model can beat.
  const again = volunteerVotes(params.truth, rng.split('votes-again'), { volunteers: cfg.volunteers });
  const floor = rmse(again.subarray(cfg.trainSize * GZ_OUTPUTS), split.testY) / Math.SQRT2;
  return {
    ...split,
    floor,
    truth: params.truth,
  };
}

/** Trains one model on one seed and measures RMSE, rotation sensitivity and confident agreement. */
export async function trainCell(
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
    const pred = predictInBatches(net, data.testX, shape);
    // Rotation sensitivity: RMS change of the predictions under the 7 other symmetries of the square.
    let rot = 0;
    for (let t = 1; t < 8; t++)
      rot += rmse(predictInBatches(net, dihedral(data.testX, cfg.size, 1, t), shape), pred) / 7;
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
