import { defineExperiment, type Rng, type Scalars, type SeriesRow, scalarKeys, z } from '@paperlab/core';
import {
  claimsFor,
  fmt,
  mean,
  meanSem,
  pairedGap,
  pct,
  putMeanSem,
  runSeeds,
  table,
} from '@paperlab/core/kit';
import { linePlot } from '@paperlab/core/plots';
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

const config = z.strictObject({
  trainSize: z.number().int().min(100).max(100_000).default(10_000).describe('synthetic training spectra'),
  testSize: z.number().int().min(50).max(20_000).default(1000).describe('held-out spectra'),
  noisePpm: z
    .number()
    .min(0)
    .max(1000)
    .default(50)
    .describe('Gaussian noise per WFC3 bin (ppm of transit depth)'),
  members: z.number().int().min(2).max(10).default(5).describe('networks in the ensemble'),
  mcSamples: z
    .number()
    .int()
    .min(1)
    .max(50)
    .default(10)
    .describe('MC-dropout passes per network at test time'),
  hidden: z
    .array(z.number().int().min(4).max(1024))
    .min(1)
    .max(6)
    .default([128, 128, 128])
    .describe('hidden widths'),
  dropout: z.number().min(0).max(0.9).default(0.1).describe('dropout rate (train and test)'),
  epochs: z.number().int().min(1).max(500).default(30),
  batchSize: z.number().int().min(8).max(4096).default(256),
  lr: z.number().positive().max(1).default(1e-3).describe('Adam step'),
  trees: z.number().int().min(1).max(500).default(100).describe('random-forest trees'),
  maxDepth: z.number().int().min(1).max(30).default(14).describe('random-forest depth'),
  minLeaf: z.number().int().min(1).max(1000).default(5).describe('random-forest leaf size'),
  seeds: z.number().int().min(1).max(10).default(3),
});

/** Config of astro/cobb2019. */
export type Cobb2019Config = z.infer<typeof config>;

const D = SPECTRUM_PARAMS.length;
type Model = 'forest' | 'single' | 'ensemble';
type Scalar =
  | `r2_${Model}`
  | `cal_${'single' | 'ensemble'}`
  | 'coverage_ensemble'
  | 'coverage_ensemble_sem'
  | `gain_${'forest' | 'single'}`
  | `gain_${'forest' | 'single'}_sem`
  | 'cal_gain'
  | 'cal_gain_sem'
  | 'corr_error'
  | 'corr_error_sem'
  | 'max_abs_corr'
  | 'seeds';

/** What one seed measures. */
type SeedResult = {
  r2: Record<Model, number>;
  r2Params: Record<Model, number[]>;
  coverage: Record<'single' | 'ensemble', number[]>;
  corr: Array<{ i: number; j: number; predicted: number; empirical: number }>;
};

const claim = claimsFor<Cobb2019Config, Scalar>();
const enoughSeeds = claim.atLeast('seeds', 3, 'seeds');
const netsTrain = claim.trained('r2_single', 0.3, 'the single network (mean test R²)');
/** Nominal 1σ coverage of a Gaussian. */
const ONE_SIGMA = 0.6827;

function calibrationError(coverage: number[]): number {
  return mean(coverage.map((c) => Math.abs(c - ONE_SIGMA)));
}

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
async function runSeed(
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
  const trainX = spectra.subarray(0, cfg.trainSize * bins);
  const trainY = params.subarray(0, cfg.trainSize * D);
  const xs = columnStats(trainX, bins);
  const ys = columnStats(trainY, D);
  const x = standardize(spectra, xs);
  const y = standardize(params, ys);
  const train = {
    x: x.subarray(0, cfg.trainSize * bins),
    y: y.subarray(0, cfg.trainSize * D),
    n: cfg.trainSize,
  };
  const testX = x.subarray(cfg.trainSize * bins);
  const testY = y.subarray(cfg.trainSize * D);

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

/** astro/cobb2019: An Ensemble of Bayesian Neural Networks for Exoplanetary Atmospheric Retrieval (plan-net). */
export const cobb2019 = defineExperiment({
  id: 'astro/cobb2019',
  paper: {
    title: 'An Ensemble of Bayesian Neural Networks for Exoplanetary Atmospheric Retrieval',
    authors:
      'Adam D. Cobb, Michael D. Himes, Frank Soboczenski, Simone Zorzan, Molly D. O’Beirne, Atılım Güneş Baydin, Yarin Gal, Shawn D. Domagal-Goldman, Giada N. Arney, Daniel Angerhausen',
    year: 2019,
    url: 'https://arxiv.org/abs/1905.10659',
    venue: 'The Astronomical Journal 158, 33',
  },
  summary:
    'SIMULATED spectra: an isothermal transmission-spectrum forward model of a WASP-12b-like planet with TOY band ' +
    'opacities for H₂O, HCN and NH₃ and a grey cloud, binned to 13 WFC3-like bins with 50 ppm noise; parameters ' +
    '(T, three log abundances, log cloud opacity) drawn from the paper’s priors. An ensemble of MC-dropout MLPs ' +
    'trained with the correlated Gaussian loss (learned Cholesky factor of the precision) is compared with a random ' +
    'forest (HELA’s method) and with one of its own networks: accuracy (R²), 1σ calibration and learned correlations.',
  config,
  presets: {
    smoke: {
      trainSize: 300,
      testSize: 60,
      members: 2,
      mcSamples: 2,
      hidden: [16],
      epochs: 2,
      batchSize: 64,
      trees: 4,
      maxDepth: 5,
      seeds: 2,
    },
    paper: {},
  },
  scalars: scalarKeys<Scalar>(),
  claims: [
    claim.beats({
      id: 'ensemble-beats-forest',
      kind: 'paper',
      statement:
        'The ensemble of Bayesian networks retrieves the parameters more accurately than the random forest',
      source: {
        quote:
          'plan-net, based on an ensemble of Bayesian neural networks that yields more accurate inferences than the random forest for the same data set of synthetic transmission spectra',
        where: 'abstract',
        restated:
          'mean test R² over the 5 parameters, ensemble − forest, paired over seeds; simulated spectra with toy opacities',
      },
      requires: [enoughSeeds, netsTrain],
      gap: 'gain_forest',
      sem: 'gain_forest_sem',
      a: 'ensemble R²',
      b: 'forest R²',
      what: '(mean over parameters)',
      detail: (s) => `N = ${s.seeds}; ${fmt(s.r2_forest)} → ${fmt(s.r2_ensemble)}`,
    }),
    claim.beats({
      id: 'ensemble-beats-single',
      kind: 'paper',
      statement: 'The ensemble is more accurate than a single network',
      source: {
        quote:
          'We demonstrate that an ensemble provides greater accuracy and more robust uncertainties than a single model.',
        where: 'abstract',
        restated:
          'mean test R², ensemble − its first member alone (same MC-dropout sampling), paired over seeds',
      },
      requires: [enoughSeeds, netsTrain],
      gap: 'gain_single',
      sem: 'gain_single_sem',
      a: 'ensemble R²',
      b: 'single-net R²',
      what: '(mean over parameters)',
      detail: (s) => `${fmt(s.r2_single)} → ${fmt(s.r2_ensemble)}`,
    }),
    claim.beats({
      id: 'ensemble-better-calibrated',
      kind: 'paper',
      statement: 'The ensemble’s uncertainties are better calibrated than a single network’s',
      source: {
        quote: 'an ensemble provides … more robust uncertainties than a single model',
        where: 'abstract',
        restated:
          'calibration error = mean over parameters of |1σ coverage − 68.3%|; single − ensemble, paired over seeds',
      },
      requires: [enoughSeeds, netsTrain],
      gap: 'cal_gain',
      sem: 'cal_gain_sem',
      a: 'single-net calibration error',
      b: 'ensemble calibration error',
      what: '',
      format: (g, e) => `${pct(g)} ± ${pct(e)}`,
      detail: (s) => `${pct(s.cal_single)} → ${pct(s.cal_ensemble)}`,
    }),
    claim.inRange({
      id: 'ensemble-calibrated',
      kind: 'paper',
      statement: 'The ensemble’s 1σ intervals hold the truth about 68% of the time',
      source: {
        quote: 'more robust uncertainties',
        where: 'abstract',
        restated:
          '1σ coverage of the mixture predictive, mean over parameters, within 68.3% ± 8 points (±2 s.e.)',
      },
      requires: [enoughSeeds, netsTrain],
      value: 'coverage_ensemble',
      sem: 'coverage_ensemble_sem',
      range: [0.603, 0.763],
      label: 'ensemble 1σ coverage',
    }),
    claim.inRange({
      id: 'learns-correlations',
      kind: 'paper',
      statement: 'The correlated loss learns the correlations between the retrieved parameters',
      source: {
        quote:
          'we also introduce a new loss function for Bayesian neural networks that learns correlations between the model outputs',
        where: 'abstract',
        restated:
          'mean |predicted − empirical| correlation of the errors over the 10 parameter pairs ≤ 0.15 (±2 s.e.), when some pair is degenerate (|ρ| ≥ 0.3)',
      },
      requires: [
        enoughSeeds,
        netsTrain,
        (s) =>
          s.max_abs_corr < 0.3 ? `no degeneracy to learn: max |ρ| = ${fmt(s.max_abs_corr)} < 0.3` : undefined,
      ],
      value: 'corr_error',
      sem: 'corr_error_sem',
      range: [0, 0.15],
      label: 'mean |ρ_pred − ρ_emp|',
    }),
    claim.inRange({
      id: 'forest-learns',
      kind: 'control',
      statement: 'Control: the random-forest baseline learns the parameters (mean R² ≥ 0.3)',
      value: 'r2_forest',
      range: [0.3, 1],
      label: 'forest R²',
    }),
    claim.inRange({
      id: 'degeneracy-present',
      kind: 'control',
      statement: 'Control: the simulator has parameter degeneracies (some error correlation |ρ| ≥ 0.3)',
      value: 'max_abs_corr',
      range: [0.3, 1],
      label: 'max |empirical ρ|',
    }),
  ],
  async run(ctx, cfg) {
    const done = await runSeeds(ctx, cfg.seeds, (seed) => runSeed(cfg, seed, ctx.rng, ctx.signal), {
      describe: (r) =>
        `R² forest ${fmt(r.r2.forest)}, single ${fmt(r.r2.single)}, ensemble ${fmt(r.r2.ensemble)}`,
      log: (r) => ({ r2_forest: r.r2.forest, r2_ensemble: r.r2.ensemble }),
    });
    const res = done.map((d) => d.result);
    const r2 = (m: Model) => res.map((r) => r.r2[m]);
    const cal = (m: 'single' | 'ensemble') => res.map((r) => calibrationError(r.coverage[m]));
    const cov = res.map((r) => mean(r.coverage.ensemble));
    const corrErr = res.map((r) => mean(r.corr.map((c) => Math.abs(c.predicted - c.empirical))));
    const scalars: Scalars<Scalar> = {
      seeds: cfg.seeds,
      r2_forest: mean(r2('forest')),
      r2_single: mean(r2('single')),
      r2_ensemble: mean(r2('ensemble')),
      cal_single: mean(cal('single')),
      cal_ensemble: mean(cal('ensemble')),
    };
    putMeanSem(scalars, 'coverage_ensemble', meanSem(cov));
    putMeanSem(scalars, 'gain_forest', pairedGap(r2('ensemble'), r2('forest')));
    putMeanSem(scalars, 'gain_single', pairedGap(r2('ensemble'), r2('single')));
    putMeanSem(scalars, 'cal_gain', pairedGap(cal('single'), cal('ensemble')));
    putMeanSem(scalars, 'corr_error', meanSem(corrErr));
    scalars.max_abs_corr = mean(res.map((r) => Math.max(...r.corr.map((c) => Math.abs(c.empirical)))));
    // Gallery: a few spectra of the first seed's prior draws, noiseless, to look at the simulator.
    const show = samplePrior(ctx.rng.split('gallery'), 6);
    const shown = transmissionSpectra(show);
    const width = (WFC3_BINS.hi - WFC3_BINS.lo) / WFC3_BINS.bins;
    const gallery: SeriesRow[] = [];
    for (let e = 0; e < 6; e++) {
      const p = show.subarray(e * D, e * D + D);
      const label = `T=${p[0]!.toFixed(0)} K, H₂O ${p[1]!.toFixed(1)}, cloud ${p[4]!.toFixed(1)}`;
      for (let b = 0; b < WFC3_BINS.bins; b++)
        gallery.push({
          spectrum: `${e + 1}: ${label}`,
          wavelength_um: WFC3_BINS.lo + (b + 0.5) * width,
          depth_ppm: shown[e * WFC3_BINS.bins + b]!,
        });
    }
    const perParam: SeriesRow[] = SPECTRUM_PARAMS.flatMap((name, k) =>
      (['forest', 'single', 'ensemble'] as const).map((model) => ({
        parameter: name,
        model,
        r2: mean(res.map((r) => r.r2Params[model][k]!)),
        coverage_1sigma: model === 'forest' ? null : mean(res.map((r) => r.coverage[model][k]!)),
      })),
    );
    const pairs: SeriesRow[] = res[0]!.corr.map((c, k) => ({
      pair: `${SPECTRUM_PARAMS[c.i]}–${SPECTRUM_PARAMS[c.j]}`,
      predicted: mean(res.map((r) => r.corr[k]!.predicted)),
      empirical: mean(res.map((r) => r.corr[k]!.empirical)),
    }));
    return {
      scalars,
      series: { gallery, perParam, pairs },
      plots: [
        linePlot({
          id: 'spectra-gallery',
          title: 'Simulated transmission spectra (toy opacities, noiseless)',
          series: 'gallery',
          x: 'wavelength_um',
          y: 'depth_ppm',
          color: 'spectrum',
          xTitle: 'wavelength (μm)',
          yTitle: 'transit depth (ppm)',
        }),
      ],
      tables: [
        table(
          'per-parameter',
          'Test R² and ensemble 1σ coverage per parameter (mean over seeds)',
          ['parameter', 'forest R²', 'single R²', 'ensemble R²', 'single 1σ cov.', 'ensemble 1σ cov.'],
          SPECTRUM_PARAMS.map((name) => {
            const row = (m: Model) => perParam.find((r) => r.parameter === name && r.model === m)!;
            return [
              name,
              fmt(row('forest').r2 as number),
              fmt(row('single').r2 as number),
              fmt(row('ensemble').r2 as number),
              pct(row('single').coverage_1sigma as number),
              pct(row('ensemble').coverage_1sigma as number),
            ];
          }),
        ),
        table(
          'correlations',
          'Error correlations between parameters: ensemble-predicted vs empirical (mean over seeds)',
          ['pair', 'predicted ρ', 'empirical ρ'],
          pairs.map((p) => [p.pair as string, fmt(p.predicted as number), fmt(p.empirical as number)]),
        ),
      ],
    };
  },
});
