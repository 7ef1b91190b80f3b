import type { Rng } from '@paperlab/core';
import { mean } from '@paperlab/core/kit';
import { type LayerSpec, Sequential } from '@paperlab/core/train';
import { RandomForest } from '../../baselines/randomForest.js';
import {
  columnStats,
  errorCorrelations,
  intervalCoverage,
  r2PerOutput,
  standardize,
} from '../../metrics/regression.js';
import { fitAdam } from '../../nets/fitAdam.js';
import { choleskyGaussianNll, choleskyOutputs, type GaussianPrediction } from '../../nets/heteroscedastic.js';
import { ensemblePrediction, mcDropoutOutputs } from '../../nets/mcDropout.js';
import { SPECTRUM_PARAMS, samplePrior, transmissionSpectra, WFC3_BINS } from '../../spectra/transmission.js';
import { splitAt } from '../../util/trainTest.js';
import type { Cobb2019Config } from './experiment.js';

/** Retrieved parameters per spectrum. */
export const D = SPECTRUM_PARAMS.length;

/** The compared retrievals: HELA's random forest, one plan-net member, the whole ensemble. */
export type Model = 'forest' | 'single' | 'ensemble';

/** What one seed measures. */
export type SeedResult = {
  r2: Record<Model, number>;
  r2Params: Record<Model, number[]>;
  coverage: Record<'single' | 'ensemble', number[]>;
  corr: Array<{ i: number; j: number; predicted: number; empirical: number }>;
};

/** Trains one MC-dropout network with the correlated (Cholesky-precision) Gaussian loss. */
async function trainNet(
  cfg: Cobb2019Config,
  data: { x: Float32Array; y: Float32Array; n: number },
  rng: Rng,
  signal: AbortSignal,
): Promise<Sequential> {
  const layers: LayerSpec[] = cfg.hidden.flatMap((units) => [
    { type: 'dense' as const, units, activation: 'relu' as const },
    { type: 'dropout' as const, rate: cfg.dropout },
  ]);
  layers.push({ type: 'dense', units: choleskyOutputs(D), init: 'glorot' });
  const net = Sequential.build(layers, [WFC3_BINS.bins], rng.split('init'), 'plannet');
  await fitAdam(cfg, {
    model: net,
    data: { ...data, shape: [WFC3_BINS.bins], targetShape: [D] },
    loss: choleskyGaussianNll(D),
    order: rng.split('order'),
    clipNorm: 10,
    signal,
    label: 'plan-net member',
  });
  return net;
}

/** One seed: fresh spectra, the random forest, and an ensemble of MC-dropout networks. */
export async function runSeed(
  cfg: Cobb2019Config,
  seed: number,
  root: Rng,
  signal: AbortSignal,
): Promise<SeedResult> {
  const rng = root.split(`seed-${seed}`);
  const n = cfg.trainSize + cfg.testSize;
  const params = samplePrior(rng.split('prior'), n);
  const clean = transmissionSpectra(params);
  const noise = rng.split('noise').normals(clean.length, 0, cfg.noisePpm);
  const spectra = clean.map((v, i) => v + noise[i]!);
  const bins = WFC3_BINS.bins;
  // Standardised with the training spectra's and parameters' column statistics.
  const raw = splitAt(spectra, params, cfg.trainSize, bins, D);
  const x = standardize(spectra, columnStats(raw.x, bins));
  const y = standardize(params, columnStats(raw.y, D));
  const split = splitAt(x, y, cfg.trainSize, bins, D);
  const train = { x: split.x, y: split.y, n: cfg.trainSize };
  const { testX, testY } = split;

  const forest = RandomForest.fit(
    train.x,
    train.y,
    train.n,
    { trees: cfg.trees, maxDepth: cfg.maxDepth, minLeaf: cfg.minLeaf, maxFeatures: 5 },
    rng.split('forest'),
  );
  const forestPred = forest.predict(testX);

  const members: Array<{ values: Float32Array; outputs: number }> = [];
  for (let m = 0; m < cfg.members; m++) {
    const net = await trainNet(cfg, train, rng.split(`member-${m}`), signal);
    try {
      members.push(mcDropoutOutputs(net, testX, [bins], cfg.mcSamples));
    } finally {
      net.dispose();
    }
  }
  const predict = (group: typeof members): GaussianPrediction[] =>
    Array.from({ length: cfg.testSize }, (_, i) => ensemblePrediction(group, cfg.testSize, i, D));
  const single = predict(members.slice(0, 1));
  const ensemble = predict(members);
  const means = (p: GaussianPrediction[]) => Float32Array.from(p.flatMap((q) => Array.from(q.mean)));
  const r2Params = {
    forest: r2PerOutput(forestPred, testY, D),
    single: r2PerOutput(means(single), testY, D),
    ensemble: r2PerOutput(means(ensemble), testY, D),
  };
  return {
    r2: { forest: mean(r2Params.forest), single: mean(r2Params.single), ensemble: mean(r2Params.ensemble) },
    r2Params,
    coverage: { single: intervalCoverage(single, testY, D), ensemble: intervalCoverage(ensemble, testY, D) },
    corr: errorCorrelations(ensemble, testY, D),
  };
}
