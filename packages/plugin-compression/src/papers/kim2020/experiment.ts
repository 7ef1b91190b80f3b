import { defineExperiment, type Rng, type Scalars, type SeriesRow, scalarKeys, z } from '@paperlab/core';
import type { LabelledArrays } from '@paperlab/core/data';
import { claimsFor, fmt, gapScalars, groupMeans, mean, pct, pick, points, table } from '@paperlab/core/kit';
import { linePlot } from '@paperlab/core/plots';
import { createFitOptimizer, fit, type LayerSpec } from '@paperlab/core/train';
import { countField, epochsField, seedsField, trainingConfig, widthsField } from '../../config/fields.js';
import { imageDataConfig, loadImageData } from '../../data/images.js';
import {
  expectedCalibrationError,
  progressiveAlpha,
  progressiveTargets,
  smoothedTargets,
} from '../../distill/losses.js';
import { CompressNet } from '../../nets/compressNet.js';
import { runMethodSeeds } from '../../train/cells.js';
import { accuracyFromProbs, predictProbs } from '../../train/evaluate.js';

const config = z.strictObject({
  ...imageDataConfig,
  trainSize: imageDataConfig.trainSize.default(4000),
  hidden: widthsField([256, 256]).describe('hidden widths of the MLP'),
  ...trainingConfig({ epochs: 30, batchSize: 100, lr: 1e-3 }),
  epochs: epochsField(30).describe('epochs T (PS-KD’s α_t reaches α_T at the last)'),
  alphaT: z.number().min(0).max(1).default(0.8).describe('PS-KD’s final mixing weight α_T (paper: 0.8)'),
  smoothing: z.number().min(0).max(1).default(0.1).describe('label-smoothing ε of the baseline (paper: 0.1)'),
  seeds: seedsField(3),
  bins: countField(15, 2, 1000).describe('confidence bins of the ECE'),
});

/** Config of compression/kim2020. */
export type Kim2020Config = z.infer<typeof config>;

const METHODS = ['baseline', 'ls', 'pskd'] as const;
type Method = (typeof METHODS)[number];
type Scalar =
  | `${'err' | 'ece' | 'nll' | 'train_acc'}_${Method}`
  | `${'err' | 'ece'}_gain_${'base' | 'ls'}`
  | `${'err' | 'ece'}_gain_${'base' | 'ls'}_sem`
  | 'train_acc_min'
  | 'seeds';

const claim = claimsFor<Kim2020Config, Scalar>();
const trainedAll = claim.trained('train_acc_min', 0.9, 'a compared model (training accuracy)');

/** One trained model's test error, calibration and training accuracy. */
type Score = { err: number; ece: number; nll: number; trainAcc: number; curve: number[] };

/**
 * Trains the MLP for T epochs with per-epoch targets: hard labels (baseline), label smoothing, or PS-KD's
 * (1 − α_t)·y + α_t·p_{t−1}(x), p_{t−1} the model's own predictions after epoch t − 1 (p₀ = y).
 */
async function train(
  cfg: Kim2020Config,
  data: { train: LabelledArrays; test: LabelledArrays },
  method: Method,
  seed: number,
  rng: Rng,
  signal: AbortSignal,
): Promise<Score> {
  const k = data.train.classes;
  const specs: LayerSpec[] = [
    ...cfg.hidden.map((units) => ({ type: 'dense' as const, units, activation: 'relu' as const })),
    { type: 'dense', units: k },
  ];
  const net = CompressNet.build(specs, data.train.shape, rng.split(`init-s${seed}`));
  const optimizer = createFitOptimizer({ type: 'adam', lr: cfg.lr });
  const order = rng.split(`order-s${seed}`);
  const hard = smoothedTargets(data.train.y, k, 0);
  const smooth = smoothedTargets(data.train.y, k, cfg.smoothing);
  let previous = hard;
  const curve: number[] = [];
  try {
    for (let t = 1; t <= cfg.epochs; t++) {
      const y =
        method === 'baseline'
          ? hard
          : method === 'ls'
            ? smooth
            : progressiveTargets(data.train.y, previous, k, progressiveAlpha(t, cfg.epochs, cfg.alphaT));
      await fit({
        model: net,
        data: { x: data.train.x, y, n: data.train.n, shape: data.train.shape, targetShape: [k] },
        loss: 'softmax-ce',
        optimizer,
        epochs: 1,
        batchSize: cfg.batchSize,
        order: order.split(`epoch-${t}`),
        signal,
      });
      if (method === 'pskd') previous = predictProbs(net, data.train);
      curve.push(1 - accuracyFromProbs(predictProbs(net, data.test), data.test.y));
    }
    const p = predictProbs(net, data.test);
    let nll = 0;
    for (let i = 0; i < data.test.n; i++) nll -= Math.log(Math.max(p[i * k + data.test.y[i]!]!, 1e-12));
    return {
      err: 1 - accuracyFromProbs(p, data.test.y),
      ece: expectedCalibrationError(p, data.test.y, k, cfg.bins),
      nll: nll / data.test.n,
      trainAcc: accuracyFromProbs(predictProbs(net, data.train), data.train.y),
      curve,
    };
  } finally {
    optimizer.dispose();
    net.dispose();
  }
}

/** compression/kim2020: Self-Knowledge Distillation with Progressive Refinement of Targets (Kim, Ji, Yoon, Hwang). */
export const kim2020 = defineExperiment({
  id: 'compression/kim2020',
  paper: {
    title: 'Self-Knowledge Distillation with Progressive Refinement of Targets',
    authors: 'Kyungyul Kim, ByeongMoon Ji, Doyoung Yoon, Sangheum Hwang',
    year: 2020,
    url: 'https://arxiv.org/abs/2006.12000',
    venue: 'ICCV 2021',
  },
  summary:
    'An MLP on 2×2-pooled Fashion-MNIST (4k training images, 30 epochs: a regime where plain training overfits and ' +
    'grows overconfident) is trained three ways on identical initialisations and batch orders: hard targets, label ' +
    'smoothing (ε = 0.1), and PS-KD, whose target at epoch t mixes the label with the model’s own predictions from ' +
    'epoch t − 1, α_t = 0.8·t/T. Test error and expected calibration error are compared by paired gaps over seeds.',
  config,
  presets: {
    smoke: { trainSize: 200, testSize: 100, pool: 4, hidden: [16], epochs: 2, batchSize: 50, seeds: 2 },
    paper: {},
  },
  scalars: scalarKeys<Scalar>(),
  claims: [
    claim.beats({
      id: 'pskd-lower-error',
      kind: 'paper',
      statement: 'PS-KD lowers the test error of plain (hard-target) training',
      source: {
        quote:
          'PS-KD achieves not only better accuracy, but also provides high quality of confidence estimates',
        where: 'abstract; Table 1 (CIFAR-100)',
        restated: 'an MLP on pooled Fashion-MNIST; error gap (baseline − PS-KD) over paired seeds',
      },
      requires: [claim.atLeast('seeds', 3, 'seeds'), trainedAll],
      gap: 'err_gain_base',
      sem: 'err_gain_base_sem',
      a: 'baseline error',
      b: 'PS-KD error',
      what: '(test)',
      format: points,
      detail: (s) => `N = ${s.seeds} seeds; ${pct(s.err_baseline)} → ${pct(s.err_pskd)}`,
    }),
    claim.beats({
      id: 'pskd-better-calibration',
      kind: 'paper',
      statement: 'PS-KD lowers the expected calibration error of plain training',
      source: {
        quote:
          'it is confirmed that PS-KD … provides high quality of confidence estimates in terms of calibration',
        where: 'abstract; Table 1 (ECE)',
        restated: 'ECE with 15 bins on the test split; gap (baseline − PS-KD) over paired seeds',
      },
      requires: [claim.atLeast('seeds', 3, 'seeds'), trainedAll],
      gap: 'ece_gain_base',
      sem: 'ece_gain_base_sem',
      a: 'baseline ECE',
      b: 'PS-KD ECE',
      what: '(test)',
      format: points,
      detail: (s) => `${pct(s.ece_baseline)} → ${pct(s.ece_pskd)}`,
    }),
    claim.beats({
      id: 'pskd-beats-label-smoothing',
      kind: 'paper',
      statement: 'PS-KD’s adaptive soft targets give lower test error than label smoothing',
      source: {
        quote:
          'PS-KD gives lower error than the other target-softening regularisers it is compared with, LS included (paraphrase)',
        where: '§4.1, Table 1 (CIFAR-100)',
        restated: 'error gap (LS − PS-KD) over paired seeds, LS with the paper’s ε = 0.1',
      },
      requires: [claim.atLeast('seeds', 3, 'seeds'), trainedAll],
      gap: 'err_gain_ls',
      sem: 'err_gain_ls_sem',
      a: 'label-smoothing error',
      b: 'PS-KD error',
      what: '(test)',
      format: points,
      detail: (s) => `${pct(s.err_ls)} vs ${pct(s.err_pskd)}`,
    }),
    claim.inRange({
      id: 'baseline-overconfident',
      kind: 'control',
      statement:
        'Control: plain training is miscalibrated here (ECE ≥ 3%), so a calibration gain is measurable',
      value: 'ece_baseline',
      range: [0.03, 1],
      label: 'baseline ECE',
    }),
    claim.inRange({
      id: 'models-train',
      kind: 'control',
      statement: 'Control: every model fits its training set (training accuracy ≥ 90%)',
      value: 'train_acc_min',
      range: [0.9, 1],
      label: 'lowest training accuracy',
    }),
  ],
  datasets: (cfg) => [cfg.dataset],
  async run(ctx, cfg) {
    const data = await loadImageData(ctx.data, { ...cfg, flatten: true });
    const done = await runMethodSeeds(
      ctx,
      cfg.seeds,
      METHODS,
      (method, seed) => train(cfg, data, method, seed, ctx.rng, ctx.signal),
      (r) => `error ${pct(r.err)}, ECE ${pct(r.ece)}`,
      (r) => ({ err: r.err, ece: r.ece }),
    );
    const by = (m: Method, key: 'err' | 'ece' | 'nll' | 'trainAcc') =>
      pick(done, { method: m }).map((r) => r[key]);
    const scalars: Scalars<Scalar> = {
      seeds: cfg.seeds,
      train_acc_min: Math.min(...done.map((d) => d.result.trainAcc)),
    };
    for (const m of METHODS) {
      scalars[`err_${m}`] = mean(by(m, 'err'));
      scalars[`ece_${m}`] = mean(by(m, 'ece'));
      scalars[`nll_${m}`] = mean(by(m, 'nll'));
      scalars[`train_acc_${m}`] = mean(by(m, 'trainAcc'));
    }
    for (const [ref, m] of [
      ['base', 'baseline'],
      ['ls', 'ls'],
    ] as const)
      for (const key of ['err', 'ece'] as const)
        Object.assign(scalars, gapScalars(`${key}_gain_${ref}`, by(m, key), by('pskd', key)));
    const rows: SeriesRow[] = done.map(({ cell, result: r }) => ({
      ...cell,
      err: r.err,
      ece: r.ece,
      nll: r.nll,
      train_acc: r.trainAcc,
    }));
    const curves: SeriesRow[] = METHODS.flatMap((method) => {
      const runs = pick(done, { method }).map((r) => r.curve);
      return runs[0]!.map((_, t) => ({ method, epoch: t + 1, test_error: mean(runs.map((c) => c[t]!)) }));
    });
    const means = groupMeans(rows, 'method', {
      err: 'test error',
      ece: 'ECE',
      nll: 'test NLL',
      train_acc: 'train accuracy',
    });
    return {
      scalars,
      series: { cells: rows, curves, means },
      plots: [
        linePlot({
          id: 'test-error-by-epoch',
          title: 'Test error by epoch (mean over seeds)',
          series: 'curves',
          x: 'epoch',
          y: 'test_error',
          color: 'method',
          xTitle: 'epoch',
          yTitle: 'test error',
        }),
      ],
      tables: [
        table(
          'methods',
          'Test error, ECE, NLL and training accuracy (mean over seeds)',
          ['method', 'test error', 'ECE', 'test NLL', 'train acc'],
          METHODS.map((m) => [
            m,
            pct(scalars[`err_${m}`]),
            pct(scalars[`ece_${m}`]),
            fmt(scalars[`nll_${m}`]),
            pct(scalars[`train_acc_${m}`]),
          ]),
        ),
      ],
    };
  },
});
