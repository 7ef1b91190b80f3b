import {
  type ClaimResult,
  defineExperiment,
  type ExperimentOutput,
  type SeriesRow,
  throwIfAborted,
  z,
} from '@paperlab/core';
import { logLogFit } from '@paperlab/core/kit';
import { frobeniusDiff, matFrom } from '@paperlab/core/linalg';
import { linePlot } from '@paperlab/core/plots';
import * as tf from '@tensorflow/tfjs-core';
import { loadImageSubset } from '../../data/imageSubset.js';
import { gradientDescentMse } from '../../inference/gdMse.js';
import { reluDual } from '../../kernels/dualActivations.js';
import { type MlpRun, type Parametrisation, trainMlp } from './parametrisedMlp.js';

const config = z.strictObject({
  widths: z
    .array(z.number().int().min(4))
    .min(1)
    .default([64, 128, 256, 512, 1024, 2048])
    .describe('hidden widths; the first is the base width n₀ where SP, NTK and μP coincide'),
  lrGrid: z
    .array(z.number().positive())
    .min(1)
    .default([1 / 256, 1 / 128, 1 / 64, 1 / 32, 1 / 16, 1 / 8, 1 / 4, 1 / 2, 1, 2])
    .describe('learning rates η swept for SP and μP (factor-2 grid)'),
  steps: z.number().int().min(1).max(20_000).default(200).describe('full-batch gradient-descent steps'),
  nTrain: z
    .number()
    .int()
    .min(10)
    .max(10_000)
    .default(512)
    .describe('Fashion-MNIST training images (10 classes)'),
  nTest: z.number().int().min(10).max(10_000).default(1000).describe('test images'),
  pool: z.number().int().min(1).max(4).default(4).describe('average-pool factor (4: 7×7 inputs)'),
});

/** Config of ntk/yang2020. */
export type Yang2020Config = z.infer<typeof config>;

interface Cell {
  [key: string]: number | boolean;
  diverged: boolean;
  trainLoss: number;
  testLoss: number;
  testAccuracy: number;
  featureMove: number;
  kernelGap: number;
  linAccuracy: number;
}

function toCell(r: MlpRun, kernelGap = 0, linAccuracy = 0): Cell {
  return {
    diverged: r.diverged,
    trainLoss: r.trainLoss,
    testLoss: r.testLoss,
    testAccuracy: r.testAccuracy,
    featureMove: r.featureMove,
    kernelGap,
    linAccuracy,
  };
}

function accuracyOf(f: ArrayLike<number>, labels: Int32Array, C: number): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    let b = 0;
    for (let c = 1; c < C; c++) if (f[i * C + c]! > f[i * C + b]!) b = c;
    if (b === labels[i]) correct++;
  }
  return correct / labels.length;
}

function slope(xs: number[], ys: number[]): number {
  return logLogFit(xs, ys).slope;
}

function rangeClaim(
  out: ExperimentOutput,
  key: string,
  lo: number,
  hi: number,
  what: string,
  exp: string,
): ClaimResult {
  const s = out.scalars;
  const v = s[key];
  const expected = `${exp} (accepted [${lo}, ${hi}])`;
  if (v === undefined || (s.n_widths ?? 0) < 3)
    return { verdict: 'inconclusive', measured: 'too few widths', expected };
  return {
    verdict: v >= lo && v <= hi ? 'reproduced' : 'not-reproduced',
    measured: `${what} log-log slope ${v.toFixed(3)} (widths ${s.width_min}–${s.width_max}, η = ${s.eta_star})`,
    expected,
  };
}

/**
 * The infinite-width NTK of the NTK-parametrised net (per-layer learning rates included): with ‖x‖² = d and
 * u = W₁ᵀx ~ N(0, 1), Θ(x, x′) = η·[n₀·E[ReLU(u)ReLU(u′)] + d·ρ·E[ReLU′(u)ReLU′(u′)]], ρ = x·x′/d.
 */
function analyticNtk(xa: Float32Array, xb: Float32Array, d: number, n0: number, eta: number): Float64Array {
  const na = xa.length / d;
  const nb = xb.length / d;
  const out = new Float64Array(na * nb);
  for (let i = 0; i < na; i++)
    for (let j = 0; j < nb; j++) {
      let dot = 0;
      for (let k = 0; k < d; k++) dot += xa[i * d + k]! * xb[j * d + k]!;
      const rho = Math.max(-1, Math.min(1, dot / d));
      const dual = reluDual(1, 1, rho);
      out[i * nb + j] = eta * (n0 * dual.k + d * rho * dual.kdot);
    }
  return out;
}

/** ntk/yang2020: feature learning in infinite-width networks (μP vs NTK vs standard parametrisation). */
export const yang2020 = defineExperiment<Yang2020Config>({
  id: 'ntk/yang2020',
  paper: {
    title: 'Feature Learning in Infinite-Width Neural Networks',
    authors: 'Greg Yang, Edward J. Hu',
    year: 2020,
    url: 'https://arxiv.org/abs/2011.14522',
    venue: 'ICML 2021 (arXiv 2020)',
  },
  summary:
    'A 1-hidden-layer ReLU MLP on 10-class Fashion-MNIST (7×7, 512 training images), full-batch gradient descent on ' +
    'the squared loss, widths 64…2048, in three parametrisations that coincide at the base width 64: standard (SP), ' +
    'NTK and maximal-update (μP). A learning-rate grid is swept for SP and μP at every width; NTK and μP are compared ' +
    'at the η that is best for μP at the base width. Measured: the relative movement of the hidden features, test ' +
    'accuracy, the NTK-parametrised net against its analytic kernel-regression limit, and how the best η moves ' +
    'with width (μP vs SP tuned per width).',
  config,
  presets: {
    smoke: { widths: [16, 64], lrGrid: [0.25, 1], steps: 10, nTrain: 40, nTest: 40, pool: 4 },
    ci: {
      widths: [32, 128, 512],
      lrGrid: [1 / 64, 1 / 32, 1 / 16, 1 / 8, 1 / 4, 1 / 2, 1],
      steps: 80,
      nTrain: 128,
      nTest: 200,
      pool: 4,
    },
    paper: {},
  },
  claims: [
    {
      id: 'ntk-features-freeze',
      statement:
        'In NTK parametrisation the hidden features move as width^−1/2 (no feature learning in the limit)',
      check: (out) => rangeClaim(out, 'move_ntk_slope', -0.75, -0.3, 'NTK feature movement', 'slope ≈ −0.5'),
    },
    {
      id: 'mup-features-move',
      statement: 'In μP the hidden features keep moving by Θ(1) at every width',
      check: (out) => rangeClaim(out, 'move_mup_slope', -0.15, 0.15, 'μP feature movement', 'slope ≈ 0'),
    },
    {
      id: 'ntk-to-kernel-limit',
      statement:
        'The NTK-parametrised net converges to its kernel (NTK gradient-descent) limit as width grows',
      check(out) {
        const s = out.scalars;
        const expected =
          'distance to the analytic linearised prediction (same f₀) falls with width (slope ≤ −0.25) and the widest net’s accuracy is within 0.02 of that prediction’s';
        if ((s.n_widths ?? 0) < 3) return { verdict: 'inconclusive', measured: 'too few widths', expected };
        const ok = s.kernel_gap_slope! <= -0.25 && Math.abs(s.acc_ntk_widest! - s.acc_lin_widest!) <= 0.02;
        return {
          verdict: ok ? 'reproduced' : 'not-reproduced',
          measured: `distance ${s.kernel_gap_narrowest!.toFixed(4)} → ${s.kernel_gap_widest!.toFixed(4)} (slope ${s.kernel_gap_slope!.toFixed(3)}); accuracy NTK net ${s.acc_ntk_widest!.toFixed(4)} vs its kernel prediction ${s.acc_lin_widest!.toFixed(4)}`,
          expected,
        };
      },
    },
    {
      id: 'mup-improves-with-width',
      statement: 'In μP wider is better (at one learning rate)',
      check(out) {
        const s = out.scalars;
        const expected =
          'μP test loss at the widest width ≥ 5% below the narrowest’s, and accuracy not lower';
        if ((s.n_widths ?? 0) < 3) return { verdict: 'inconclusive', measured: 'too few widths', expected };
        const ok =
          s.loss_mup_widest! < 0.95 * s.loss_mup_narrowest! && s.acc_mup_widest! >= s.acc_mup_narrowest!;
        return {
          verdict: ok ? 'reproduced' : 'not-reproduced',
          measured: `μP test loss ${s.loss_mup_narrowest!.toFixed(4)} (n=${s.width_min}) → ${s.loss_mup_widest!.toFixed(4)} (n=${s.width_max}); accuracy ${s.acc_mup_narrowest!.toFixed(4)} → ${s.acc_mup_widest!.toFixed(4)}`,
          expected,
        };
      },
    },
    {
      id: 'mup-beats-ntk-limit',
      statement:
        'The wide μP net outperforms the NTK limit (kernel regression with the NTK, the infinite-width NTK net’s mean)',
      check(out) {
        const s = out.scalars;
        const expected =
          'at the widest width μP has lower test loss and higher accuracy than the NTK kernel predictor';
        if ((s.n_widths ?? 0) < 3) return { verdict: 'inconclusive', measured: 'too few widths', expected };
        const ok = s.loss_mup_widest! < s.loss_kernel! && s.acc_mup_widest! > s.acc_kernel!;
        return {
          verdict: ok ? 'reproduced' : 'not-reproduced',
          measured: `widest μP: loss ${s.loss_mup_widest!.toFixed(4)}, accuracy ${s.acc_mup_widest!.toFixed(4)}; NTK kernel predictor: loss ${s.loss_kernel!.toFixed(4)}, accuracy ${s.acc_kernel!.toFixed(4)}; NTK-param net: accuracy ${s.acc_ntk_widest!.toFixed(4)}`,
          expected,
        };
      },
    },
    {
      id: 'mup-lr-transfers',
      statement:
        'μP’s best learning rate is stable across widths, while SP’s (tuned per width) drifts; μP at the transferred η matches or beats SP tuned at the widest width',
      check(out) {
        const s = out.scalars;
        const expected =
          'μP best η spans ≤ 1 grid step (factor 2) over widths; SP’s best η moves by ≥ 2 steps; μP(η*) test loss ≤ tuned SP’s at the widest width';
        if ((s.n_widths ?? 0) < 3) return { verdict: 'inconclusive', measured: 'too few widths', expected };
        const ok =
          s.best_lr_span_mup! <= 1 &&
          s.best_lr_drift_sp! >= 2 &&
          s.loss_mup_transfer_widest! <= s.loss_sp_tuned_widest!;
        return {
          verdict: ok ? 'reproduced' : 'not-reproduced',
          measured: `best-η grid index span: μP ${s.best_lr_span_mup}, SP drift ${s.best_lr_drift_sp} (narrowest → widest); widest test loss μP(η*) ${s.loss_mup_transfer_widest!.toFixed(4)} vs SP tuned ${s.loss_sp_tuned_widest!.toFixed(4)}`,
          expected,
        };
      },
    },
  ],
  async run(ctx, cfg: Yang2020Config) {
    const data = await loadImageSubset(ctx.data, 'fashion-mnist', {
      trainLimit: cfg.nTrain,
      testLimit: cfg.nTest,
      pool: cfg.pool,
    });
    const C = 10;
    const oneHot = (y: Int32Array) => {
      const out = new Float32Array(y.length * C).fill(-1 / C);
      for (let i = 0; i < y.length; i++) out[i * C + y[i]!]! += 1;
      return out;
    };
    const yTrain = oneHot(data.yTrain);
    const widths = [...cfg.widths].sort((a, b) => a - b);
    const grid = [...cfg.lrGrid].sort((a, b) => a - b);
    const n0 = widths[0]!;
    const tensors = {
      xTrain: tf.tensor2d(data.xTrain, [data.nTrain, data.d]),
      yTrain: tf.tensor2d(yTrain, [data.nTrain, C]),
      xTest: tf.tensor2d(data.xTest, [data.nTest, data.d]),
      yTest: tf.tensor2d(oneHot(data.yTest), [data.nTest, C]),
      yTestLabels: data.yTest,
    };
    try {
      const runCell = (p: Parametrisation, width: number, lr: number, keep: boolean) =>
        trainMlp(ctx.rng.split(`net-${width}`), ctx.signal, tensors, {
          parametrisation: p,
          width,
          baseWidth: n0,
          lr,
          steps: cfg.steps,
          keepOutputs: keep,
        });
      const sweep: Record<string, Cell> = {};
      const task = ctx.progress.task(
        'parametrisation × width × η',
        2 * widths.length * grid.length + widths.length,
      );
      for (const p of ['mup', 'sp'] as const)
        for (const width of widths)
          for (const lr of grid) {
            throwIfAborted(ctx.signal);
            const key = `${p}-w${width}-lr${lr}`;
            sweep[key] = await ctx.checkpoint.cached(
              key,
              async (): Promise<Cell> => toCell(runCell(p, width, lr, false)),
            );
            task.tick(1, key);
          }
      const best = (p: Parametrisation, width: number) => {
        let bi = 0;
        grid.forEach((lr, i) => {
          if (sweep[`${p}-w${width}-lr${lr}`]!.testLoss < sweep[`${p}-w${width}-lr${grid[bi]}`]!.testLoss)
            bi = i;
        });
        return bi;
      };
      const etaIndex = best('mup', n0);
      const etaStar = grid[etaIndex]!;

      // NTK parametrisation at η* (= μP's best at the base width, where the two coincide), with its kernel limit.
      const ntkCells: Record<number, Cell> = {};
      const kTrain = analyticNtk(data.xTrain, data.xTrain, data.d, n0, etaStar);
      const kTest = analyticNtk(data.xTest, data.xTrain, data.d, n0, etaStar);
      let kernelAcc = Number.NaN;
      let kernelLoss = Number.NaN;
      for (const width of widths) {
        throwIfAborted(ctx.signal);
        ntkCells[width] = await ctx.checkpoint.cached(`ntk-w${width}`, async (): Promise<Cell> => {
          const r = runCell('ntk', width, etaStar, true);
          const pred = gradientDescentMse(
            {
              kTrainTrain: matFrom(data.nTrain, data.nTrain, kTrain),
              kTestTrain: matFrom(data.nTest, data.nTrain, kTest),
              yTrain: Float64Array.from(yTrain),
              f0Train: Float64Array.from(r.f0Train),
              f0Test: Float64Array.from(r.f0Test),
              lr: 1,
            },
            { steps: cfg.steps },
          );
          return toCell(
            r,
            frobeniusDiff(r.fTest, pred.test) / Math.max(frobeniusDiff(r.fTest, r.f0Test), 1e-12),
            accuracyOf(pred.test, data.yTest, C),
          );
        });
        task.tick(1, `ntk w=${width}`);
      }
      task.done();
      {
        // Kernel limit's own accuracy: the infinite-width net starts from f₀ = 0 in expectation.
        const pred = gradientDescentMse(
          {
            kTrainTrain: matFrom(data.nTrain, data.nTrain, kTrain),
            kTestTrain: matFrom(data.nTest, data.nTrain, kTest),
            yTrain: Float64Array.from(yTrain),
            f0Train: new Float64Array(data.nTrain * C),
            f0Test: new Float64Array(data.nTest * C),
            lr: 1,
          },
          { steps: cfg.steps },
        );
        kernelAcc = accuracyOf(pred.test, data.yTest, C);
        const yT = oneHot(data.yTest);
        let sq = 0;
        for (let i = 0; i < yT.length; i++) sq += (pred.test[i]! - yT[i]!) ** 2;
        kernelLoss = sq / (2 * data.nTest);
      }

      const wMax = widths[widths.length - 1]!;
      const mupAt = (w: number) => sweep[`mup-w${w}-lr${etaStar}`]!;
      const scalars: Record<string, number> = {
        n_widths: widths.length,
        width_min: n0,
        width_max: wMax,
        eta_star: etaStar,
        acc_kernel: kernelAcc,
        loss_kernel: kernelLoss,
      };
      const moveNtk = widths.map((w) => ntkCells[w]!.featureMove);
      const moveMup = widths.map((w) => mupAt(w).featureMove);
      const kernelGaps = widths.map((w) => ntkCells[w]!.kernelGap);
      if (widths.length >= 2) {
        scalars.move_ntk_slope = slope(widths, moveNtk);
        scalars.move_mup_slope = slope(widths, moveMup);
        scalars.kernel_gap_slope = slope(widths, kernelGaps);
      }
      scalars.kernel_gap_narrowest = kernelGaps[0]!;
      scalars.kernel_gap_widest = kernelGaps[kernelGaps.length - 1]!;
      scalars.acc_ntk_widest = ntkCells[wMax]!.testAccuracy;
      scalars.acc_lin_widest = ntkCells[wMax]!.linAccuracy;
      scalars.loss_ntk_widest = ntkCells[wMax]!.testLoss;
      scalars.loss_mup_narrowest = mupAt(n0).testLoss;
      scalars.loss_mup_widest = mupAt(wMax).testLoss;
      scalars.acc_mup_narrowest = mupAt(n0).testAccuracy;
      scalars.acc_mup_widest = mupAt(wMax).testAccuracy;
      scalars.loss_mup_transfer_widest = mupAt(wMax).testLoss;
      const bestMup = widths.map((w) => best('mup', w));
      const bestSp = widths.map((w) => best('sp', w));
      scalars.best_lr_span_mup = Math.max(...bestMup) - Math.min(...bestMup);
      scalars.best_lr_drift_sp = bestSp[0]! - bestSp[bestSp.length - 1]!;
      scalars.loss_sp_tuned_widest = sweep[`sp-w${wMax}-lr${grid[bestSp[bestSp.length - 1]!]}`]!.testLoss;
      scalars.acc_sp_tuned_widest = sweep[`sp-w${wMax}-lr${grid[bestSp[bestSp.length - 1]!]}`]!.testAccuracy;
      scalars.move_ntk_widest = moveNtk[moveNtk.length - 1]!;
      scalars.move_mup_widest = moveMup[moveMup.length - 1]!;

      const movement: SeriesRow[] = [];
      const accuracy: SeriesRow[] = [];
      const lrCurves: SeriesRow[] = [];
      const table: Array<Array<number | string>> = [];
      widths.forEach((w, i) => {
        movement.push({ width: w, parametrisation: 'NTK', move: moveNtk[i]! });
        movement.push({ width: w, parametrisation: 'μP', move: moveMup[i]! });
        accuracy.push({ width: w, model: 'NTK param (η*)', accuracy: ntkCells[w]!.testAccuracy });
        accuracy.push({ width: w, model: 'μP (η*)', accuracy: mupAt(w).testAccuracy });
        const sp = sweep[`sp-w${w}-lr${grid[bestSp[i]!]}`]!;
        accuracy.push({ width: w, model: 'SP (η tuned per width)', accuracy: sp.testAccuracy });
        accuracy.push({ width: w, model: 'NTK kernel limit', accuracy: kernelAcc });
        for (const p of ['mup', 'sp'] as const)
          for (const lr of grid) {
            const c = sweep[`${p}-w${w}-lr${lr}`]!;
            lrCurves.push({
              lr,
              curve: `${p === 'mup' ? 'μP' : 'SP'} n=${w}`,
              test_loss: c.diverged ? null : Math.min(c.testLoss, 10),
            });
          }
        table.push([
          w,
          moveNtk[i]!.toFixed(4),
          moveMup[i]!.toFixed(4),
          kernelGaps[i]!.toFixed(4),
          ntkCells[w]!.testAccuracy.toFixed(4),
          mupAt(w).testAccuracy.toFixed(4),
          mupAt(w).testLoss.toFixed(4),
          grid[bestMup[i]!]!,
          grid[bestSp[i]!]!,
          `${sp.testAccuracy.toFixed(4)} / ${sp.testLoss.toFixed(4)}`,
        ]);
      });
      return {
        scalars,
        series: { movement, accuracy, lr_sweep: lrCurves },
        plots: [
          linePlot({
            id: 'feature-movement',
            title: 'Relative movement of hidden features vs width (NTK: slope −1/2; μP: flat)',
            series: 'movement',
            x: 'width',
            y: 'move',
            color: 'parametrisation',
            logX: true,
            logY: true,
            xTitle: 'width',
            yTitle: '‖h_T − h_0‖/‖h_0‖',
          }),
          linePlot({
            id: 'accuracy-vs-width',
            title: 'Test accuracy vs width',
            series: 'accuracy',
            x: 'width',
            y: 'accuracy',
            color: 'model',
            logX: true,
            xTitle: 'width',
            yTitle: 'test accuracy',
          }),
          linePlot({
            id: 'lr-sweep',
            title: 'Test loss vs learning rate (μP optimum stays put; SP’s moves left with width)',
            series: 'lr_sweep',
            x: 'lr',
            y: 'test_loss',
            color: 'curve',
            logX: true,
            xTitle: 'η',
            yTitle: 'test loss',
          }),
        ],
        tables: [
          {
            id: 'per-width',
            title: `Per width (η* = ${etaStar}; kernel-limit accuracy ${kernelAcc.toFixed(4)})`,
            columns: [
              'width',
              'NTK feature move',
              'μP feature move',
              'NTK net vs kernel',
              'NTK acc',
              'μP acc',
              'μP test loss',
              'μP best η',
              'SP best η',
              'SP tuned acc / loss',
            ],
            rows: table,
          },
        ],
      };
    } finally {
      tf.dispose([tensors.xTrain, tensors.yTrain, tensors.xTest, tensors.yTest]);
    }
  },
});
