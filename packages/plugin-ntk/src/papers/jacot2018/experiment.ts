import {
  defineExperiment,
  type RunContext,
  type Scalars,
  type SeriesRow,
  scalarKeys,
  throwIfAborted,
  z,
} from '@paperlab/core';
import {
  claimsFor,
  fmt,
  grid,
  groupMeans,
  logLogSlope,
  mean,
  meanSem,
  pick,
  runCells,
  type ScalarView,
  seeds,
  table,
} from '@paperlab/core/kit';
import { frobenius, frobeniusDiff, matFrom } from '@paperlab/core/linalg';
import { linePlot } from '@paperlab/core/plots';
import * as tf from '@tensorflow/tfjs-core';
import { gradientDescentMse } from '../../inference/gdMse.js';
import { fcKernels } from '../../kernels/fcKernel.js';
import {
  disposeNtkMlp,
  empiricalNtkMlp,
  initNtkMlp,
  type NtkMlpSpec,
  ntkMlpForward,
  ntkMlpVariables,
} from '../../nets/ntkMlp.js';

const config = z.strictObject({
  widths: z
    .array(z.number().int().min(4))
    .min(2)
    .default([64, 128, 256, 512, 1024, 2048])
    .describe('hidden widths of the sweep'),
  depth: z
    .number()
    .int()
    .min(2)
    .max(12)
    .default(4)
    .describe('dense layers including the readout (4 = 3 hidden)'),
  activation: z.enum(['relu', 'erf']).default('relu'),
  sigmaW2: z.number().positive().default(2).describe('weight variance σw²'),
  sigmaB2: z.number().min(0).default(0.01).describe('bias variance σb² (Jacot et al.: β = 0.1)'),
  seeds: z.number().int().min(2).max(64).default(5).describe('independent networks per width'),
  nTest: z
    .number()
    .int()
    .min(4)
    .max(512)
    .default(32)
    .describe('points on the unit circle where kernels are compared'),
  nTrain: z.number().int().min(2).max(256).default(8).describe('training points on the unit circle'),
  targetFrequency: z.number().int().min(1).max(16).default(2).describe('target f*(γ) = sin(k·γ)'),
  lr: z.number().positive().default(1).describe('gradient-descent step on the loss (1/2N)Σ(f − y)²'),
  steps: z.number().int().min(1).max(100_000).default(200).describe('full-batch gradient-descent steps'),
  mc: z
    .strictObject({
      width: z
        .number()
        .int()
        .min(4)
        .default(512)
        .describe('width of the random networks for the Monte-Carlo NNGP'),
      samples: z.number().int().min(8).default(256).describe('random networks sampled'),
    })
    .prefault({}),
});

/** Config of ntk/jacot2018. */
export type Jacot2018Config = z.infer<typeof config>;

type Metric = 'dev_init' | 'drift' | 'pred_err';
type Scalar =
  | 'n_widths'
  | 'width_min'
  | 'width_max'
  | 'seeds'
  | `${Metric}_${'slope' | 'slope_sem' | 'narrowest' | 'widest'}`
  | `${'mean' | 'single'}_kernel_err`
  | 'nngp_mc_err'
  | 'nngp_mc_expected_err'
  | 'mc_width'
  | 'mc_samples';

const claim = claimsFor<Jacot2018Config, Scalar>();
const widthDetail = (s: ScalarView<Scalar>) => `over widths ${s.width_min}–${s.width_max}`;

interface CellResult {
  [key: string]: number | number[];
  devInit: number;
  drift: number;
  predErr: number;
  moveRms: number;
  trainLoss: number;
  theta0: number[];
  thetaT: number[];
}

function circle(n: number, offset: number): { x: Float32Array; gamma: number[] } {
  const x = new Float32Array(2 * n);
  const gamma: number[] = [];
  for (let i = 0; i < n; i++) {
    const g = (2 * Math.PI * (i + offset)) / n;
    gamma.push(g);
    x[2 * i] = Math.cos(g);
    x[2 * i + 1] = Math.sin(g);
  }
  return { x, gamma };
}

function readHost(t: tf.Tensor): Float64Array {
  const v = Float64Array.from(t.dataSync());
  t.dispose();
  return v;
}

/** Relative Frobenius distance of two N×N host matrices. */
function relErr(a: ArrayLike<number>, ref: ArrayLike<number>): number {
  return frobeniusDiff(a, ref) / frobenius(ref);
}

async function runCell(
  ctx: RunContext,
  cfg: Jacot2018Config,
  width: number,
  seed: number,
  z2d: tf.Tensor2D,
  thetaAnalytic: Float64Array,
  yTrain: Float64Array,
): Promise<CellResult> {
  const nT = cfg.nTest;
  const nTr = cfg.nTrain;
  const N = nT + nTr;
  const spec: NtkMlpSpec = {
    inputDim: 2,
    width,
    depth: cfg.depth,
    sigmaW2: cfg.sigmaW2,
    sigmaB2: cfg.sigmaB2,
    activation: cfg.activation,
  };
  const params = initNtkMlp(spec, ctx.rng.split(`net-w${width}-s${seed}`));
  try {
    const theta0 = readHost(empiricalNtkMlp(spec, params, z2d));
    const f0 = readHost(ntkMlpForward(spec, params, z2d));
    const xTrain = tf.slice(z2d, [nT, 0], [nTr, 2]) as tf.Tensor2D;
    const yT = tf.tensor2d(Float32Array.from(yTrain), [nTr, 1]);
    const opt = tf.train.sgd(cfg.lr);
    const vars = ntkMlpVariables(params);
    let loss = Number.NaN;
    for (let s = 0; s < cfg.steps; s++) {
      if (s % 16 === 0) throwIfAborted(ctx.signal);
      const cost = opt.minimize(
        () => tf.mul(0.5, tf.mean(tf.square(tf.sub(ntkMlpForward(spec, params, xTrain), yT)))) as tf.Scalar,
        s === cfg.steps - 1,
        vars,
      );
      if (cost) {
        loss = 2 * cost.dataSync()[0]!;
        cost.dispose();
      }
    }
    opt.dispose();
    tf.dispose([xTrain, yT]);
    const thetaT = readHost(empiricalNtkMlp(spec, params, z2d));
    const fT = readHost(ntkMlpForward(spec, params, z2d));

    // Analytic-kernel GD prediction using this network's own f0.
    const K = matFrom(N, N, thetaAnalytic);
    const kTrainTrain = matFrom(
      nTr,
      nTr,
      Array.from({ length: nTr * nTr }, (_, k) => K.data[(nT + Math.floor(k / nTr)) * N + nT + (k % nTr)]!),
    );
    const kTestTrain = matFrom(
      nT,
      nTr,
      Array.from({ length: nT * nTr }, (_, k) => K.data[Math.floor(k / nTr) * N + nT + (k % nTr)]!),
    );
    const pred = gradientDescentMse(
      { kTrainTrain, kTestTrain, yTrain, f0Train: f0.slice(nT), f0Test: f0.slice(0, nT), lr: cfg.lr },
      { steps: cfg.steps },
    );
    const fTtest = fT.slice(0, nT);
    const f0test = f0.slice(0, nT);
    return {
      devInit: relErr(theta0, thetaAnalytic),
      drift: relErr(thetaT, theta0),
      predErr: frobeniusDiff(fTtest, pred.test) / Math.max(frobeniusDiff(fTtest, f0test), 1e-12),
      moveRms: frobeniusDiff(fTtest, f0test) / Math.sqrt(nT),
      trainLoss: loss,
      theta0: Array.from(theta0),
      thetaT: Array.from(thetaT),
    };
  } finally {
    disposeNtkMlp(params);
  }
}

/** Monte-Carlo NNGP: sample covariance of outputs of random networks vs the analytic NNGP. */
async function monteCarloNngp(ctx: RunContext, cfg: Jacot2018Config, z2d: tf.Tensor2D, nngp: Float64Array) {
  const N = z2d.shape[0];
  const spec: NtkMlpSpec = {
    inputDim: 2,
    width: cfg.mc.width,
    depth: cfg.depth,
    sigmaW2: cfg.sigmaW2,
    sigmaB2: cfg.sigmaB2,
    activation: cfg.activation,
  };
  const cov = new Float64Array(N * N);
  const task = ctx.progress.task('Monte-Carlo NNGP', cfg.mc.samples);
  for (let s = 0; s < cfg.mc.samples; s++) {
    if (s % 8 === 0) throwIfAborted(ctx.signal);
    const params = initNtkMlp(spec, ctx.rng.split(`mc-${s}`));
    const f = readHost(ntkMlpForward(spec, params, z2d));
    disposeNtkMlp(params);
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) cov[i * N + j]! += f[i]! * f[j]!;
    task.tick();
  }
  task.done();
  for (let i = 0; i < N * N; i++) cov[i]! /= cfg.mc.samples;
  // E‖K̂ − K‖²_F = (1/S)·Σ_ij (K_ii·K_jj + K_ij²) for zero-mean Gaussian outputs.
  let expected = 0;
  for (let i = 0; i < N; i++)
    for (let j = 0; j < N; j++) expected += nngp[i * N + i]! * nngp[j * N + j]! + nngp[i * N + j]! ** 2;
  return {
    relErr: relErr(cov, nngp),
    expectedRelErr: Math.sqrt(expected / cfg.mc.samples) / frobenius(nngp),
  };
}

/** ntk/jacot2018: the Neural Tangent Kernel (Jacot, Gabriel, Hongler, NeurIPS 2018). */
export const jacot2018 = defineExperiment({
  id: 'ntk/jacot2018',
  paper: {
    title: 'Neural Tangent Kernel: Convergence and Generalization in Neural Networks',
    authors: 'Arthur Jacot, Franck Gabriel, Clément Hongler',
    year: 2018,
    url: 'https://arxiv.org/abs/1806.07572',
    venue: 'NeurIPS 2018',
  },
  summary:
    'Fully-connected ReLU networks in NTK parametrisation on inputs from the unit circle, swept over width. ' +
    'For each width and seed: the empirical NTK at initialisation against the analytic NTK from the layer ' +
    'recursion, the kernel’s drift after full-batch gradient descent on a small regression task, and the ' +
    'trained outputs against the analytic gradient-descent MSE prediction (constant-kernel dynamics). ' +
    'The analytic kernels are checked independently: seed-averaged empirical NTKs and a Monte-Carlo NNGP ' +
    'from random networks must converge to them at the expected sampling rate.',
  config,
  presets: {
    smoke: {
      widths: [16, 64],
      depth: 3,
      seeds: 2,
      nTest: 8,
      nTrain: 4,
      steps: 20,
      mc: { width: 32, samples: 16 },
    },
    ci: {
      widths: [32, 128, 512],
      depth: 3,
      seeds: 3,
      nTest: 16,
      nTrain: 6,
      steps: 60,
      mc: { width: 128, samples: 96 },
    },
    paper: {},
  },
  scalars: scalarKeys<Scalar>(),
  claims: [
    claim.slopeWithin({
      id: 'init-deviation-slope',
      kind: 'paper',
      statement:
        'At initialisation the empirical NTK converges to the analytic NTK: ‖Θ̂₀ − Θ‖/‖Θ‖ falls as width^−1/2',
      source: {
        quote:
          'At initialization, an ANN is equivalent to a Gaussian process in the infinite-width limit … the NTK converges to an explicit limiting kernel',
        where: 'Theorem 1, §4',
        restated:
          'the finite-width deviation, whose rate n^−1/2 follows from the CLT behind Theorem 1, is measured as a log-log slope',
      },
      requires: [claim.atLeast('n_widths', 3, 'widths')],
      slope: 'dev_init_slope',
      sem: 'dev_init_slope_sem',
      what: 'deviation',
      range: [-0.65, -0.35],
      k: 0,
      note: 'slope ≈ −0.5',
      detail: widthDetail,
    }),
    claim.slopeWithin({
      id: 'training-drift-slope',
      kind: 'paper',
      statement:
        'During training the kernel stays constant in the infinite-width limit: its drift ‖Θ̂_T − Θ̂₀‖/‖Θ̂₀‖ vanishes at least as fast as width^−1/2',
      source: {
        quote: 'the NTK stays asymptotically constant during training',
        where: 'Theorem 2, §4',
        restated:
          'drift falls with width at a rate between n^−1/2 (Lee et al. 2019) and n^−1 (Dyer & Gur-Ari 2019)',
      },
      requires: [claim.atLeast('n_widths', 3, 'widths')],
      slope: 'drift_slope',
      sem: 'drift_slope_sem',
      what: 'drift',
      range: [-1.15, -0.35],
      k: 0,
      note: 'slope between −1/2 (Lee et al. 2019) and −1 (Dyer & Gur-Ari 2019)',
      detail: widthDetail,
    }),
    claim.custom({
      id: 'gd-mse-prediction',
      kind: 'paper',
      statement: 'Trained outputs approach the analytic gradient-descent MSE prediction as width grows',
      source: {
        quote:
          'for a least-squares cost, the network function follows a linear differential equation during training',
        where: '§5 (least-squares regression), Figure 2',
      },
      requires: [claim.atLeast('n_widths', 3, 'widths')],
      rule: {
        text: 'relative error (vs the untrained-output baseline, = 1) falls with width: slope ≤ −0.25 and widest < narrowest',
        params: { maxSlope: -0.25 },
      },
      check: (s) => ({
        verdict:
          s.pred_err_slope <= -0.25 && s.pred_err_widest < s.pred_err_narrowest
            ? 'reproduced'
            : 'not-reproduced',
        measured: `error ${fmt(s.pred_err_narrowest)} at width ${s.width_min} → ${fmt(s.pred_err_widest)} at ${s.width_max}; slope ${fmt(s.pred_err_slope)}`,
      }),
    }),
    claim.custom({
      id: 'analytic-ntk-matches-mean',
      kind: 'control',
      statement:
        'The analytic NTK is the mean of the empirical NTKs: averaging seeds at the widest width shrinks the error like 1/√seeds',
      rule: {
        text: 'ratio ≤ 2 (a biased analytic kernel would not average away) and error < 0.05',
        params: { maxRatio: 2, maxError: 0.05 },
      },
      check: (s) => {
        const ratio = s.mean_kernel_err / (s.single_kernel_err / Math.sqrt(s.seeds));
        return {
          verdict: ratio <= 2 && s.mean_kernel_err < 0.05 ? 'reproduced' : 'not-reproduced',
          measured: `seed-mean error ${fmt(s.mean_kernel_err, 4)} vs single-seed ${fmt(s.single_kernel_err, 4)}/√${s.seeds} (ratio ${fmt(ratio, 2)})`,
        };
      },
    }),
    claim.custom({
      id: 'nngp-matches-monte-carlo',
      kind: 'control',
      statement:
        'The analytic NNGP equals the output covariance of random wide networks (Monte-Carlo, independent of the NTK code)',
      rule: {
        text: '≤ 1.5 × the sampling error expected from the number of networks',
        params: { factor: 1.5 },
      },
      check: (s) => ({
        verdict: s.nngp_mc_err <= 1.5 * s.nngp_mc_expected_err ? 'reproduced' : 'not-reproduced',
        measured: `relative error ${fmt(s.nngp_mc_err, 4)} with ${s.mc_samples} networks of width ${s.mc_width}`,
        expected: `≤ 1.5 × the sampling error expected from ${s.mc_samples} samples (${fmt(s.nngp_mc_expected_err, 4)})`,
      }),
    }),
  ],
  async run(ctx, cfg) {
    const test = circle(cfg.nTest, 0);
    const train = circle(cfg.nTrain, 0.5);
    const zAll = new Float32Array([...test.x, ...train.x]);
    const N = cfg.nTest + cfg.nTrain;
    const yTrain = Float64Array.from(train.gamma, (g) => Math.sin(cfg.targetFrequency * g));
    const z2d = tf.tensor2d(zAll, [N, 2]);
    const attrs = {
      depth: cfg.depth,
      sigmaW2: cfg.sigmaW2,
      sigmaB2: cfg.sigmaB2,
      activation: cfg.activation,
    };
    const kernels = fcKernels(z2d, z2d, attrs);
    const thetaAnalytic = readHost(kernels.ntk);
    const nngpAnalytic = readHost(kernels.nngp);
    try {
      const widths = [...cfg.widths].sort((a, b) => a - b);
      const done = await runCells(ctx, {
        label: 'width × seed',
        cells: grid({ width: widths, seed: seeds(cfg.seeds) }),
        key: ({ width, seed }) => `cell-w${width}-s${seed}`,
        run: ({ width, seed }) => runCell(ctx, cfg, width, seed, z2d, thetaAnalytic, yTrain),
        describe: ({ width, seed }) => `width ${width} seed ${seed}`,
        log: ({ width, seed }, r) => ({
          scalars: { dev_init: r.devInit, drift: r.drift, pred_err: r.predErr },
          step: width * 1000 + seed,
        }),
      });
      const rows: SeriesRow[] = done.map(({ cell: { width, seed }, result: r }) => ({
        width,
        seed,
        dev_init: r.devInit,
        drift: r.drift,
        pred_err: r.predErr,
        train_loss: r.trainLoss,
      }));
      const mc = await ctx.checkpoint.cached('mc-nngp', () => monteCarloNngp(ctx, cfg, z2d, nngpAnalytic));

      const metrics = {
        dev_init: 'init deviation ‖Θ̂₀−Θ‖/‖Θ‖',
        drift: 'training drift ‖Θ̂_T−Θ̂₀‖/‖Θ̂₀‖',
        pred_err: 'GD prediction error',
      } as const;
      const wMax = widths[widths.length - 1]!;
      const scalars: Scalars<Scalar> = {
        n_widths: widths.length,
        width_min: widths[0]!,
        width_max: wMax,
        seeds: cfg.seeds,
      };
      const perSeed = (k: Metric) =>
        widths.map((width) => rows.filter((r) => r.width === width).map((r) => r[k] as number));
      for (const k of Object.keys(metrics) as Metric[]) {
        const ys = perSeed(k);
        const means = ys.map((y) => mean(y));
        if (widths.length >= 2) {
          const fit = logLogSlope(widths, ys);
          scalars[`${k}_slope`] = fit.slope;
          scalars[`${k}_slope_sem`] = fit.sem;
        }
        scalars[`${k}_narrowest`] = means[0]!;
        scalars[`${k}_widest`] = means[means.length - 1]!;
      }
      // Seed-averaged empirical NTK at the widest width vs the analytic one.
      const widest = pick(done, { width: wMax });
      const meanTheta = new Float64Array(N * N);
      for (const cell of widest) for (let i = 0; i < N * N; i++) meanTheta[i]! += cell.theta0[i]! / cfg.seeds;
      const singles = widest.map((cell) => relErr(cell.theta0, thetaAnalytic));
      scalars.mean_kernel_err = relErr(meanTheta, thetaAnalytic);
      scalars.single_kernel_err = Math.sqrt(mean(singles.map((e) => e * e)));
      scalars.nngp_mc_err = mc.relErr;
      scalars.nngp_mc_expected_err = mc.expectedRelErr;
      scalars.mc_width = cfg.mc.width;
      scalars.mc_samples = cfg.mc.samples;
      const means = groupMeans(rows, 'width', metrics);

      // Kernel profile Θ(x₀, x(γ)) with x₀ = (1, 0): analytic, and narrowest/widest at init and after training.
      const profile: SeriesRow[] = [];
      for (let i = 0; i < cfg.nTest; i++)
        profile.push({ gamma: test.gamma[i]!, curve: 'analytic Θ', theta: thetaAnalytic[i]! });
      for (const w of [widths[0]!, wMax]) {
        const cell = pick(done, { width: w, seed: 0 })[0]!;
        for (let i = 0; i < cfg.nTest; i++) {
          profile.push({ gamma: test.gamma[i]!, curve: `width ${w}, init`, theta: cell.theta0[i]! });
          profile.push({ gamma: test.gamma[i]!, curve: `width ${w}, trained`, theta: cell.thetaT[i]! });
        }
      }
      return {
        scalars,
        series: { cells: rows, width_means: means, kernel_profile: profile },
        plots: [
          linePlot({
            id: 'convergence-vs-width',
            title: 'Finite-width effects vs width (log-log; slope −1/2 expected)',
            series: 'width_means',
            x: 'width',
            y: 'mean',
            color: 'metric',
            errorBar: 'sem',
            logX: true,
            logY: true,
            xTitle: 'hidden width',
            yTitle: 'relative error',
          }),
          linePlot({
            id: 'kernel-profile',
            title: 'NTK Θ(x₀, x(γ)) on the unit circle, x₀ = (1, 0)',
            series: 'kernel_profile',
            x: 'gamma',
            y: 'theta',
            color: 'curve',
            points: false,
            xTitle: 'γ (radians)',
            yTitle: 'Θ',
          }),
        ],
        tables: [
          table(
            'per-width',
            'Per-width means over seeds (± standard error)',
            ['width', 'init deviation', '±', 'training drift', '±', 'GD prediction error', '±'],
            widths.map((width) => [
              width,
              ...(Object.keys(metrics) as Metric[]).flatMap((k) => {
                const m = meanSem(rows.filter((r) => r.width === width).map((r) => r[k] as number));
                return [m.mean, m.sem];
              }),
            ]),
          ),
        ],
      };
    } finally {
      tf.dispose([z2d, kernels.nngp, kernels.ntk]);
    }
  },
});
