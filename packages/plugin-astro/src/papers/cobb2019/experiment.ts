import { defineExperiment, scalarKeys, z } from '@paperlab/core';
import { claimsFor, fmt, pct, pctPm, runSeeds } from '@paperlab/core/kit';
import { retrievalReport, retrievalScalars } from './report.js';
import { type Model, runSeed } from './retrieval.js';

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

/** Scalars of astro/cobb2019. */
export type Cobb2019Scalar =
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

const claim = claimsFor<Cobb2019Config, Cobb2019Scalar>();
const enoughSeeds = claim.atLeast('seeds', 3, 'seeds');
const netsTrain = claim.trained('r2_single', 0.3, 'the single network (mean test R²)');

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
  scalars: scalarKeys<Cobb2019Scalar>(),
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
      format: (g, e) => pctPm(g, e),
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
    return { scalars: retrievalScalars(res, cfg.seeds), ...retrievalReport(res, ctx.rng.split('gallery')) };
  },
});
