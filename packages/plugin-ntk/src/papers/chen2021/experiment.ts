import {
  type ClaimResult,
  defineExperiment,
  type ExperimentOutput,
  type RunContext,
  type SeriesRow,
  throwIfAborted,
  z,
} from '@paperlab/core';
import { logLogFit, mean, sem } from '@paperlab/core/kit';
import { frobenius, frobeniusDiff } from '@paperlab/core/linalg';
import { linePlot } from '@paperlab/core/plots';
import * as tf from '@tensorflow/tfjs-core';
import { type ImageSubset, loadImageSubset, plusMinus } from '../../data/imageSubset.js';
import { fcKernelsHost } from '../../kernels/fcKernel.js';
import {
  disposeNtkMlp,
  initNtkMlp,
  type NtkMlpSpec,
  ntkMlpForward,
  ntkMlpVariables,
} from '../../nets/ntkMlp.js';
import { type KernelTrajectoryPoint, meanLoss, trainKernelMachine } from './kernelMachines.js';

const config = z.strictObject({
  dataset: z.enum(['fashion-mnist', 'mnist']).default('fashion-mnist'),
  classes: z
    .array(z.number().int().min(0).max(9))
    .length(2)
    .default([0, 6])
    .describe('the two classes (Fashion-MNIST 0 = T-shirt/top → +1, 6 = shirt → −1)'),
  nTrain: z.number().int().min(4).max(4096).default(256).describe('training images'),
  nTest: z.number().int().min(4).max(4096).default(256).describe('test images'),
  pool: z.number().int().min(1).max(4).default(2).describe('average-pool factor (2: 28×28 → 14×14)'),
  widths: z
    .array(z.number().int().min(8))
    .min(1)
    .default([256, 512, 1024, 2048, 4096, 8192])
    .describe('hidden widths m of the 2-layer ReLU net'),
  seeds: z.number().int().min(1).max(16).default(2).describe('network initialisations per width'),
  lr: z.number().positive().default(1).describe('(sub)gradient step η on the objective'),
  lambda: z
    .number()
    .min(0)
    .default(0.01)
    .describe('ℓ2 penalty (λ/2)‖θ − θ₀‖² (= (λ/2)αᵀΘα for the kernel machine)'),
  steps: z.number().int().min(1).max(20_000).default(300).describe('full-batch (sub)gradient steps'),
  records: z
    .number()
    .int()
    .min(2)
    .max(100)
    .default(16)
    .describe('log-spaced steps where the losses are compared'),
});

/** Config of ntk/chen2021. */
export type Chen2021Config = z.infer<typeof config>;

interface Cell {
  [key: string]: number | number[];
  gapSvm: number;
  gapKrr: number;
  maxLossGap: number;
  signAgreement: number;
  testAccuracy: number;
  nnObjective: number[];
  maxGapSvmTraj: number;
}

function recordSteps(steps: number, count: number): number[] {
  const s = new Set<number>([0, steps]);
  for (let i = 0; i < count; i++) s.add(Math.round(Math.exp((Math.log(steps + 1) * i) / (count - 1))) - 1);
  return [...s].filter((v) => v >= 0 && v <= steps).sort((a, b) => a - b);
}

function relGap(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return frobeniusDiff(a, b) / Math.max(frobenius(b), 1e-12);
}

/** Trains the 2-layer ReLU net (NTK parametrisation) on mean hinge + (λ/2)‖θ − θ₀‖², output g = f − f₀. */
async function trainNet(
  ctx: RunContext,
  cfg: Chen2021Config,
  data: ImageSubset,
  y: Float64Array,
  width: number,
  seed: number,
  recordAt: number[],
): Promise<Array<{ step: number; objective: number; test: Float64Array; train: Float64Array }>> {
  const spec: NtkMlpSpec = {
    inputDim: data.d,
    width,
    depth: 2,
    sigmaW2: 1,
    sigmaB2: 0,
    activation: 'relu',
  };
  const params = initNtkMlp(spec, ctx.rng.split(`net-w${width}-s${seed}`));
  const vars = ntkMlpVariables(params);
  const theta0 = vars.map((v) => tf.clone(v));
  const xTr = tf.tensor2d(data.xTrain, [data.nTrain, data.d]);
  const xTe = tf.tensor2d(data.xTest, [data.nTest, data.d]);
  const yT = tf.tensor2d(Float32Array.from(y), [data.nTrain, 1]);
  const f0Tr = ntkMlpForward(spec, params, xTr);
  const f0Te = ntkMlpForward(spec, params, xTe);
  const record = new Set(recordAt);
  const out: Array<{ step: number; objective: number; test: Float64Array; train: Float64Array }> = [];
  try {
    for (let t = 0; t <= cfg.steps; t++) {
      if (t % 16 === 0) throwIfAborted(ctx.signal);
      if (record.has(t)) {
        const [gTr, gTe, reg] = tf.tidy(() => [
          tf.sub(ntkMlpForward(spec, params, xTr), f0Tr),
          tf.sub(ntkMlpForward(spec, params, xTe), f0Te),
          tf.addN(vars.map((v, i) => tf.sum(tf.square(tf.sub(v, theta0[i]!))))),
        ]);
        const train = Float64Array.from(gTr!.dataSync());
        const test = Float64Array.from(gTe!.dataSync());
        const r = reg!.dataSync()[0]!;
        tf.dispose([gTr!, gTe!, reg!]);
        out.push({ step: t, train, test, objective: meanLoss('hinge', train, y) + 0.5 * cfg.lambda * r });
      }
      if (t === cfg.steps) break;
      tf.tidy(() => {
        const { grads } = tf.variableGrads(
          () =>
            tf.mean(
              tf.relu(tf.sub(1, tf.mul(yT, tf.sub(ntkMlpForward(spec, params, xTr), f0Tr)))),
            ) as tf.Scalar,
          vars,
        );
        vars.forEach((v, i) => {
          const grad = grads[v.name]!;
          v.assign(tf.sub(v, tf.mul(cfg.lr, tf.add(grad, tf.mul(cfg.lambda, tf.sub(v, theta0[i]!))))));
        });
      });
    }
  } finally {
    tf.dispose([...theta0, xTr, xTe, yT, f0Tr, f0Te]);
    disposeNtkMlp(params);
  }
  return out;
}

function slopeClaim(
  out: ExperimentOutput,
  key: string,
  lo: number,
  hi: number,
  what: string,
  expectedText: string,
): ClaimResult {
  const s = out.scalars;
  const slope = s[`${key}_slope`];
  const expected = `${expectedText} (accepted [${lo}, ${hi}])`;
  if (slope === undefined || (s.n_widths ?? 0) < 3)
    return { verdict: 'inconclusive', measured: `${s.n_widths ?? 0} widths: too few for a slope`, expected };
  return {
    verdict: slope >= lo && slope <= hi ? 'reproduced' : 'not-reproduced',
    measured: `${what}: ${s[`${key}_narrowest`]!.toFixed(4)} at m=${s.width_min} → ${s[`${key}_widest`]!.toFixed(4)} at m=${s.width_max}; log-log slope ${slope.toFixed(3)} ± ${(s[`${key}_slope_se`] ?? 0).toFixed(3)}`,
    expected,
  };
}

/** ntk/chen2021: on the equivalence between neural network and support vector machine. */
export const chen2021 = defineExperiment({
  id: 'ntk/chen2021',
  paper: {
    title: 'On the Equivalence between Neural Network and Support Vector Machine',
    authors: 'Yilan Chen, Wei Huang, Lam M. Nguyen, Tsui-Wei Weng',
    year: 2021,
    url: 'https://arxiv.org/abs/2111.06063',
    venue: 'NeurIPS 2021',
  },
  summary:
    'A 2-layer ReLU network in NTK parametrisation (widths 256…8192) is trained by full-batch subgradient descent ' +
    'on the soft-margin objective mean hinge + (λ/2)‖θ − θ₀‖² for two Fashion-MNIST classes (14×14, centred). A kernel ' +
    'SVM with the analytic NTK is trained by the same subgradient descent in the dual (α decays by 1 − ηλ per step). ' +
    'The gap between their outputs and between their loss curves is measured against width; kernel ridge regression ' +
    'with the same NTK, penalty and optimiser (squared instead of hinge loss) is the contrast.',
  config,
  presets: {
    smoke: { nTrain: 24, nTest: 24, pool: 4, widths: [32, 128], seeds: 1, steps: 20, records: 4 },
    ci: { nTrain: 64, nTest: 64, pool: 4, widths: [128, 512, 2048], seeds: 1, steps: 120, records: 8 },
    paper: {},
  },
  claims: [
    {
      id: 'output-gap-shrinks',
      statement:
        'The trained network’s outputs approach the NTK-SVM’s as width grows: relative gap ~ m^−1/2 (log-log slope ≈ −0.5)',
      check: (out) =>
        slopeClaim(out, 'gap_svm', -0.8, -0.3, 'test-output gap ‖g_NN − g_SVM‖/‖g_SVM‖', 'slope ≈ −0.5'),
    },
    {
      id: 'loss-curves-overlap',
      statement:
        'The network’s and the SVM’s training objectives overlap along the whole trajectory as width grows',
      check(out) {
        const s = out.scalars;
        const expected =
          'max over the trajectory of |J_NN − J_SVM| is < 0.02 at the widest width (J starts at 1) and smaller than at the narrowest';
        if ((s.n_widths ?? 0) < 3) return { verdict: 'inconclusive', measured: 'too few widths', expected };
        const ok = s.loss_gap_widest! < 0.02 && s.loss_gap_widest! < s.loss_gap_narrowest!;
        return {
          verdict: ok ? 'reproduced' : 'not-reproduced',
          measured: `max |ΔJ| ${s.loss_gap_narrowest!.toFixed(4)} at m=${s.width_min} → ${s.loss_gap_widest!.toFixed(4)} at m=${s.width_max} (slope ${s.loss_gap_slope!.toFixed(3)}); final J: NN ${s.nn_objective_widest!.toFixed(4)}, SVM ${s.svm_objective!.toFixed(4)}`,
          expected,
        };
      },
    },
    {
      id: 'svm-not-ridge',
      statement:
        'The hinge-trained network matches the SVM, not kernel ridge regression with the same NTK (the MSE equivalence)',
      check(out) {
        const s = out.scalars;
        const expected =
          'at the widest width the NN–KRR gap is > 3× the NN–SVM gap and is not shrinking (NN–KRR gap ≥ 0.8 × its value at the narrowest width)';
        if ((s.n_widths ?? 0) < 3) return { verdict: 'inconclusive', measured: 'too few widths', expected };
        const ok =
          s.gap_krr_widest! > 3 * s.gap_svm_widest! && s.gap_krr_widest! >= 0.8 * s.gap_krr_narrowest!;
        return {
          verdict: ok ? 'reproduced' : 'not-reproduced',
          measured: `widest m=${s.width_max}: gap to SVM ${s.gap_svm_widest!.toFixed(4)}, gap to KRR ${s.gap_krr_widest!.toFixed(4)} (narrowest: ${s.gap_krr_narrowest!.toFixed(4)}); SVM–KRR gap ${s.svm_krr_gap!.toFixed(4)}`,
          expected,
        };
      },
    },
  ],
  async run(ctx, cfg) {
    const data = await loadImageSubset(ctx.data, cfg.dataset, {
      classes: cfg.classes,
      trainLimit: cfg.nTrain,
      testLimit: cfg.nTest,
      pool: cfg.pool,
    });
    const y = plusMinus(data.yTrain);
    const yTest = plusMinus(data.yTest);
    const attrs = { depth: 2, sigmaW2: 1, sigmaB2: 0, activation: 'relu' as const };
    const K = fcKernelsHost(data.xTrain, data.xTrain, data.d, attrs).ntk;
    const kTest = fcKernelsHost(data.xTest, data.xTrain, data.d, attrs).ntk;
    const recordAt = recordSteps(cfg.steps, cfg.records);
    const opts = { lr: cfg.lr, lambda: cfg.lambda, steps: cfg.steps, recordAt };
    const svm = trainKernelMachine(K, kTest, y, { ...opts, loss: 'hinge' });
    const krr = trainKernelMachine(K, kTest, y, { ...opts, loss: 'squared' });
    const svmEnd = svm[svm.length - 1]!;
    const krrEnd = krr[krr.length - 1]!;
    const accuracy = (g: Float64Array) => mean(Array.from(g, (v, i) => (Math.sign(v) === yTest[i] ? 1 : 0)));

    const widths = [...cfg.widths].sort((a, b) => a - b);
    const rows: SeriesRow[] = [];
    const curves: SeriesRow[] = svm.map((p: KernelTrajectoryPoint) => ({
      step: p.step,
      model: 'SVM (analytic NTK)',
      objective: p.objective,
    }));
    const task = ctx.progress.task('width × seed', widths.length * cfg.seeds);
    const cells: Array<Cell & { width: number; seed: number }> = [];
    for (const width of widths) {
      for (let seed = 0; seed < cfg.seeds; seed++) {
        throwIfAborted(ctx.signal);
        const cell = await ctx.checkpoint.cached(`cell-w${width}-s${seed}`, async (): Promise<Cell> => {
          const traj = await trainNet(ctx, cfg, data, y, width, seed, recordAt);
          const end = traj[traj.length - 1]!;
          const lossGaps = traj.map((p, i) => Math.abs(p.objective - svm[i]!.objective));
          let agree = 0;
          for (let i = 0; i < data.nTest; i++)
            if (Math.sign(end.test[i]!) === Math.sign(svmEnd.test[i]!)) agree++;
          return {
            gapSvm: relGap(end.test, svmEnd.test),
            gapKrr: relGap(end.test, krrEnd.test),
            maxLossGap: Math.max(...lossGaps),
            signAgreement: agree / data.nTest,
            testAccuracy: accuracy(end.test),
            nnObjective: traj.map((p) => p.objective),
            maxGapSvmTraj: Math.max(...traj.slice(1).map((p, i) => relGap(p.test, svm[i + 1]!.test))),
          };
        });
        cells.push({ ...cell, width, seed });
        rows.push({
          width,
          seed,
          gap_svm: cell.gapSvm,
          gap_krr: cell.gapKrr,
          loss_gap: cell.maxLossGap,
          sign_agreement: cell.signAgreement,
          test_accuracy: cell.testAccuracy,
        });
        if (seed === 0)
          cell.nnObjective.forEach((o, i) => {
            curves.push({ step: recordAt[i]!, model: `NN width ${width}`, objective: o });
          });
        ctx.log.scalars({ gap_svm: cell.gapSvm, loss_gap: cell.maxLossGap }, width * 100 + seed);
        task.tick(1, `width ${width} seed ${seed}`);
      }
    }
    task.done();

    const scalars: Record<string, number> = {
      n_widths: widths.length,
      width_min: widths[0]!,
      width_max: widths[widths.length - 1]!,
      svm_objective: svmEnd.objective,
      krr_objective: krrEnd.objective,
      svm_test_accuracy: accuracy(svmEnd.test),
      krr_test_accuracy: accuracy(krrEnd.test),
      svm_krr_gap: relGap(krrEnd.test, svmEnd.test),
      n_train: data.nTrain,
      n_test: data.nTest,
      input_dim: data.d,
    };
    const means: SeriesRow[] = [];
    const table: Array<Array<number | string>> = [];
    const metrics = [
      ['gap_svm', 'gapSvm', 'NN vs SVM output gap'],
      ['gap_krr', 'gapKrr', 'NN vs KRR output gap'],
      ['loss_gap', 'maxLossGap', 'max |J_NN − J_SVM|'],
    ] as const;
    for (const [key, field, label] of metrics) {
      const perWidth = widths.map((w) => mean(cells.filter((c) => c.width === w).map((c) => c[field])));
      for (let i = 0; i < widths.length; i++)
        means.push({
          width: widths[i]!,
          metric: label,
          mean: perWidth[i]!,
          sem: sem(cells.filter((c) => c.width === widths[i]).map((c) => c[field])),
        });
      if (widths.length >= 2) {
        const fit = logLogFit(widths, perWidth);
        scalars[`${key}_slope`] = fit.slope;
        scalars[`${key}_slope_se`] = Number.isFinite(fit.slopeStdErr) ? fit.slopeStdErr : 0;
      }
      scalars[`${key}_narrowest`] = perWidth[0]!;
      scalars[`${key}_widest`] = perWidth[perWidth.length - 1]!;
    }
    const wMax = widths[widths.length - 1]!;
    const widest = cells.filter((c) => c.width === wMax);
    scalars.nn_objective_widest = mean(widest.map((c) => c.nnObjective[c.nnObjective.length - 1]!));
    scalars.sign_agreement_widest = mean(widest.map((c) => c.signAgreement));
    scalars.nn_test_accuracy_widest = mean(widest.map((c) => c.testAccuracy));
    for (const w of widths) {
      const at = cells.filter((c) => c.width === w);
      table.push([
        w,
        `${mean(at.map((c) => c.gapSvm)).toFixed(4)} ± ${sem(at.map((c) => c.gapSvm)).toFixed(4)}`,
        mean(at.map((c) => c.maxGapSvmTraj)).toFixed(4),
        mean(at.map((c) => c.maxLossGap)).toFixed(4),
        mean(at.map((c) => c.gapKrr)).toFixed(4),
        mean(at.map((c) => c.signAgreement)).toFixed(4),
        mean(at.map((c) => c.testAccuracy)).toFixed(4),
      ]);
    }
    curves.push(...krr.map((p) => ({ step: p.step, model: 'KRR (squared loss)', objective: p.objective })));
    return {
      scalars,
      series: { cells: rows, width_means: means, objective: curves },
      plots: [
        linePlot({
          id: 'gap-vs-width',
          title: 'NN vs kernel machines with the analytic NTK (log-log; slope −1/2 expected for the SVM)',
          series: 'width_means',
          x: 'width',
          y: 'mean',
          color: 'metric',
          errorBar: 'sem',
          logX: true,
          logY: true,
          xTitle: 'hidden width m',
          yTitle: 'relative gap',
        }),
        linePlot({
          id: 'objective-curves',
          title: 'Training objective (mean hinge + λ/2‖θ−θ₀‖²): NNs of growing width vs the NTK-SVM',
          series: 'objective',
          x: 'step',
          y: 'objective',
          color: 'model',
          points: false,
          xTitle: 'subgradient step',
          yTitle: 'objective',
        }),
      ],
      tables: [
        {
          id: 'per-width',
          title: `Per width (mean over ${cfg.seeds} initialisations); SVM test accuracy ${scalars.svm_test_accuracy!.toFixed(3)}, KRR ${scalars.krr_test_accuracy!.toFixed(3)}`,
          columns: [
            'width',
            'final gap to SVM (± s.e.)',
            'max gap along training',
            'max |J_NN − J_SVM|',
            'final gap to KRR',
            'sign agreement with SVM',
            'NN test accuracy',
          ],
          rows: table,
        },
      ],
    };
  },
});
