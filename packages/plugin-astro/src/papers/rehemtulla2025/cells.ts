import type { Rng } from '@paperlab/core';
import { predictInBatches, Sequential } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { synthesizeAlerts } from '../../images/alerts.js';
import { galaxyImages } from '../../images/galaxyData.js';
import { logitAccuracy, rocAuc } from '../../metrics/classification.js';
import { meanPredictorRmse, rmse } from '../../metrics/regression.js';
import { fitAdam } from '../../nets/fitAdam.js';
import { smallCnn } from '../../nets/smallCnn.js';
import { splitAt, type TrainTest } from '../../util/trainTest.js';
import { GZ_OUTPUTS, volunteerVotes } from '../../votes/galaxyZoo.js';
import type { Rehemtulla2025Config } from './experiment.js';

/** The compared initialisations of the alert classifier: from scratch, or from the galaxy-pre-trained trunk. */
export const INITS = ['scratch', 'galaxy'] as const;
/** One of {@link INITS}. */
export type Init = (typeof INITS)[number];

/** What one fine-tuned classifier measures: test accuracy and AUC, training accuracy. */
export type CellOut = { acc: number; auc: number; trainAcc: number };

/** One seed's alerts (train and test) and the galaxy-pre-trained trunk. */
export type SeedData = TrainTest & {
  kinds: Int32Array;
  /** Pre-trained trunk weights (all but the output layer), host copies. */
  trunk: Float32Array[];
  pretrainSkill: number;
};

/** One seed: alerts, and a CNN pre-trained on simulated galaxies (image in all 3 channels) to predict votes. */
export async function seedData(
  cfg: Rehemtulla2025Config,
  root: Rng,
  seed: number,
  signal: AbortSignal,
): Promise<SeedData> {
  const rng = root.split(`data-s${seed}`);
  const alerts = synthesizeAlerts(rng.split('alerts'), cfg.trainSize + cfg.testSize, { size: cfg.size });
  const per = cfg.size * cfg.size * 3;
  const { params, images } = galaxyImages(rng.split('galaxies'), cfg.pretrainSize + 500, {
    size: cfg.size,
    companions: 0.3,
    stars: 0.3,
  });
  const votes = volunteerVotes(params.truth, rng.split('votes'), { volunteers: 40 });
  const rgb = new Float32Array(images.length * 3);
  for (let i = 0; i < images.length; i++) rgb.fill(images[i]!, 3 * i, 3 * i + 3);
  // Pre-training on the first pretrainSize galaxies, its skill read on the other 500.
  const pre = splitAt(rgb, votes, cfg.pretrainSize, per, GZ_OUTPUTS);
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
        x: pre.x,
        y: pre.y,
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
    const pred = predictInBatches(net, pre.testX, [cfg.size, cfg.size, 3]);
    const vars = net.variables();
    return {
      ...splitAt(alerts.x, Float32Array.from(alerts.label), cfg.trainSize, per),
      kinds: alerts.kind,
      trunk: vars.slice(0, vars.length - 2).map((v) => v.dataSync().slice() as Float32Array),
      pretrainSkill: 1 - rmse(pred, pre.testY) / meanPredictorRmse(pre.y, pre.testY, GZ_OUTPUTS),
    };
  } finally {
    net.dispose();
  }
}

/** Fine-tunes one alert classifier from scratch or from the galaxy trunk, on the first `labels` alerts. */
export async function fineTune(
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
    const scores = predictInBatches(net, d.testX, shape);
    const train = predictInBatches(net, x, shape);
    return {
      acc: logitAccuracy(scores, d.testY),
      auc: rocAuc(scores, d.testY),
      trainAcc: logitAccuracy(train, y),
    };
  } finally {
    net.dispose();
  }
}
