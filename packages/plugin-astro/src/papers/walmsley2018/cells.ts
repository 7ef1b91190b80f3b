import type { Rng } from '@paperlab/core';
import { fit, predictInBatches, Sequential } from '@paperlab/core/train';
import { dihedralBatches } from '../../images/dihedral.js';
import { galaxyImages } from '../../images/galaxyData.js';
import { symmetricResidualFeatures } from '../../images/residuals.js';
import { completenessAtContamination, logitAccuracy, rocAuc } from '../../metrics/classification.js';
import { columnStats, standardize } from '../../metrics/regression.js';
import { fitAdam } from '../../nets/fitAdam.js';
import { smallCnn } from '../../nets/smallCnn.js';
import { splitAt, type TrainTest } from '../../util/trainTest.js';
import type { Walmsley2018Config } from './experiment.js';

/** The compared models: the CNN and the residual baseline (logistic regression on symmetric residuals). */
export const MODELS = ['cnn', 'baseline'] as const;
/** One of {@link MODELS}. */
export type Model = (typeof MODELS)[number];

/** What one model measures on one seed's test hosts. */
export type CellOut = { completeness: number; auc: number; trainAcc: number; bright: number; faint: number };

/** One seed's hosts: images, tidal labels, and the injected feature's brightness on the test set. */
export type SeedData = TrainTest & {
  /** Tidal light below the host (mag) of each test image (Infinity: none). */
  testDm: Float32Array;
  kinds: Int32Array;
};

/** One seed: simulated hosts, a `tidalShare` of them with an injected tidal feature, and confusers. */
export function seedData(cfg: Walmsley2018Config, root: Rng, seed: number): SeedData {
  const n = cfg.trainSize + cfg.testSize;
  const { params, images } = galaxyImages(root.split(`data-s${seed}`), n, {
    size: cfg.size,
    tidalProb: cfg.tidalShare,
    tidalDeltaMag: [2, cfg.faintest],
    companions: 0.8,
    stars: 0.8,
  });
  const y = Float32Array.from(params.truth.tidal, (k) => (k > 0 ? 1 : 0));
  return {
    ...splitAt(images, y, cfg.trainSize, cfg.size * cfg.size),
    testDm: params.truth.tidalDeltaMag.subarray(cfg.trainSize),
    kinds: params.truth.tidal,
  };
}

/** Completeness of the brighter and fainter halves of the tidal range, at the threshold of the full set. */
function byBrightness(
  cfg: Walmsley2018Config,
  d: SeedData,
  scores: Float32Array,
): { bright: number; faint: number } {
  const mid = (2 + cfg.faintest) / 2;
  const negatives = Array.from(d.testY, (v, i) => (v ? -1 : i)).filter((i) => i >= 0);
  const negScores = negatives.map((i) => scores[i]!).sort((a, b) => b - a);
  // The threshold is the score that keeps the false-positive rate of the full set at its contamination-limited
  // operating point; a simpler, fixed reference: the 90th percentile of the non-tidal scores.
  const thr = negScores[Math.floor(0.1 * negScores.length)] ?? 0;
  const rate = (keep: (dm: number) => boolean) => {
    let hit = 0;
    let all = 0;
    d.testDm.forEach((dm, i) => {
      if (!d.testY[i] || !keep(dm)) return;
      all++;
      if (scores[i]! > thr) hit++;
    });
    return all ? hit / all : Number.NaN;
  };
  return { bright: rate((dm) => dm < mid), faint: rate((dm) => dm >= mid) };
}

/** Trains the CNN or the residual baseline on one seed and measures completeness, AUC and training accuracy. */
export async function trainCell(
  cfg: Walmsley2018Config,
  d: SeedData,
  model: Model,
  seed: number,
  rng: Rng,
  signal: AbortSignal,
): Promise<CellOut> {
  let scores: Float32Array;
  let trainScores: Float32Array;
  if (model === 'cnn') {
    const layers = smallCnn(cfg, { type: 'dense', units: 1, init: 'glorot' });
    const net = Sequential.build(layers, [cfg.size, cfg.size, 1], rng.split(`init-s${seed}`), 'tidal-cnn');
    try {
      await fitAdam(cfg, {
        model: net,
        data: dihedralBatches(
          d.x,
          d.y,
          { n: cfg.trainSize, size: cfg.size, channels: 1, targetSize: 1 },
          rng.split(`aug-s${seed}`),
        ),
        loss: 'sigmoid-ce',
        order: rng.split(`order-s${seed}`),
        signal,
        label: 'tidal CNN',
      });
      scores = predictInBatches(net, d.testX, [cfg.size, cfg.size, 1]);
      trainScores = predictInBatches(net, d.x, [cfg.size, cfg.size, 1]);
    } finally {
      net.dispose();
    }
  } else {
    // Residuals after subtracting a point-symmetric host model, read by a logistic regression.
    const fx = symmetricResidualFeatures(d.x, cfg.size);
    const f = fx.length / cfg.trainSize;
    const stats = columnStats(fx, f);
    const trainF = standardize(fx, stats);
    const testF = standardize(symmetricResidualFeatures(d.testX, cfg.size), stats);
    const lr = Sequential.build(
      [{ type: 'dense', units: 1, init: 'glorot' }],
      [f],
      rng.split(`lr-s${seed}`),
      'logreg',
    );
    try {
      await fit({
        model: lr,
        data: { x: trainF, y: d.y, n: cfg.trainSize, shape: [f], targetShape: [1] },
        loss: 'sigmoid-ce',
        optimizer: { type: 'adam', lr: 10 * cfg.lr },
        epochs: 4 * cfg.epochs,
        batchSize: 256,
        order: rng.split(`order-lr-s${seed}`),
        signal,
        label: 'residual logistic regression',
      });
      scores = predictInBatches(lr, testF, [f]);
      trainScores = predictInBatches(lr, trainF, [f]);
    } finally {
      lr.dispose();
    }
  }
  return {
    completeness: completenessAtContamination(scores, d.testY, cfg.contamination),
    auc: rocAuc(scores, d.testY),
    trainAcc: logitAccuracy(trainScores, d.y),
    ...byBrightness(cfg, d, scores),
  };
}
