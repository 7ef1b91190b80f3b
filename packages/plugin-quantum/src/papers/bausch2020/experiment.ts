import { defineExperiment, type Scalars, type SeriesRow, scalarKeys, z } from '@paperlab/core';
import { loadIdxImageDataset } from '@paperlab/core/data';
import * as kit from '@paperlab/core/kit';
import { angleInterval, int, num, positive } from '../../config/fields.js';
import { digitSequences, lastStepAccuracy, xorSequences, xorStreamAccuracy } from '../../data/sequences.js';
import { intervalRule, seedSpreadRevision } from '../../models/claims.js';
import { trainingLossPlot } from '../../models/plots.js';
import { type QrnnSpec, qrnnQubits } from '../../models/qrnn.js';
import type { SequenceData } from '../../models/recurrent.js';
import { trainSequenceModel } from '../../models/sequenceModels.js';

const config = z.strictObject({
  xor: z
    .strictObject({
      triplets: int(6, [2, 100], '(a, b, a⊕b) triplets per sequence'),
      trainSequences: int(200, [1, 10_000]),
      testSequences: int(100, [1, 10_000]),
      cellQubits: int(6, [1, 10], 'cell-state qubits (qubits = 1 + this + 1)'),
      stages: int(1, [1, 8]),
      epochs: int(25, [1, 500]),
      batchSize: int(10, [1, 4096]),
      lr: positive(0.05, 1, 'Adam learning rate of the QRNN'),
    })
    .prefault({}),
  mnist: z
    .strictObject({
      trainSize: int(400, [10, 12_665], '0/1 training digits (MNIST has 12 665)'),
      testSize: int(400, [10, 2_115], '0/1 test digits (MNIST has 2 115)'),
      pool: int(4, [1, 14], 'average-pool factor (28/4 → 7×7 pixels)'),
      threshold: num(0.25, [0, 1], 'pooled pixels above this are 1-bits'),
      inputQubits: int(2, [1, 4], 'pixels fed per step'),
      cellQubits: int(6, [1, 10]),
      stages: int(1, [1, 8]),
      epochs: int(12, [1, 500]),
      batchSize: int(10, [1, 4096]),
      lr: positive(0.01, 1, 'Adam learning rate of the QRNN'),
    })
    .prefault({}),
  init: z
    .strictObject({
      weightStd: num(0.1, [0, 2 * Math.PI], 'initial weights ~ N(0, σ) (radians)'),
      biasRange: angleInterval()
        .default([0, 0.3])
        .describe('initial biases ~ U(lo, hi): small θ starts the cell near the identity'),
    })
    .prefault({}),
  baselines: z
    .strictObject({
      epochsFactor: num(1, [0.1, 10], 'GRU/LSTM epochs relative to the QRNN’s'),
      lr: positive(0.02, 1),
    })
    .prefault({}),
  seeds: int(3, [1, 10], 'independent initialisations per model and task'),
});

/** Config of quantum/bausch2020. */
export type Bausch2020Config = z.infer<typeof config>;

const TASKS = ['xor', 'mnist'] as const;
type Task = (typeof TASKS)[number];
const MODELS = ['qrnn', 'gru', 'lstm'] as const;
type ModelKey = (typeof MODELS)[number];

type Scalar =
  | 'seeds'
  | `${Task}_${ModelKey}_${'acc' | 'params'}`
  | `xor_${ModelKey}_random_acc`
  | `${Task}_qrnn_${'log10_repetitions' | 'neuron_success'}`
  | `${Task}_${'qubits' | 'steps'}`
  | 'xor_test_bits'
  | 'mnist_test_size'
  | `${Task}_gap_qrnn_best${'' | '_sem'}`;

const claim = kit.claimsFor<Bausch2020Config, Scalar>();
const xorBits = claim.atLeast('xor_test_bits', 100, 'XOR test bits');
const mnistDigits = claim.atLeast('mnist_test_size', 100, 'test digits');

/** One task's QRNN shape and data. */
type TaskData = { spec: QrnnSpec; train: SequenceData; test: SequenceData };

/**
 * The QRNN within 5 points of the better of GRU and LSTM on both tasks: first rule on the means; revised, the
 * paired gap over seeds ± 2 s.e. against −5 points (straddle → inconclusive).
 */
function matchesBaselines(interval: boolean) {
  const rule = interval
    ? 'paired gap QRNN − best of GRU/LSTM − 2 s.e. ≥ −5 points'
    : 'QRNN ≥ max(GRU, LSTM) − 5 points';
  const text = `${rule} on XOR bits and on MNIST 0/1${interval ? ' (straddle → inconclusive)' : ''}`;
  return claim.custom({
    id: 'matches-classical-baselines',
    kind: 'control',
    statement:
      'Control (this reproduction): with the same parameter count the QRNN is within 5 points of the better of GRU and LSTM on both tasks',
    requires: interval ? [xorBits, mnistDigits, claim.atLeast('seeds', 2, 'seeds')] : [xorBits, mnistDigits],
    rule: { text, params: { maxShortfall: 0.05, minTestBits: 100, minTestDigits: 100, k: interval ? 2 : 0 } },
    check: (s) => {
      const gx = Math.max(s.xor_gru_acc, s.xor_lstm_acc) - s.xor_qrnn_acc;
      const gm = Math.max(s.mnist_gru_acc, s.mnist_lstm_acc) - s.mnist_qrnn_acc;
      const paired = TASKS.map((t) =>
        intervalRule('not-below', s[`${t}_gap_qrnn_best`], s[`${t}_gap_qrnn_best_sem`], 0.05, 2),
      );
      return {
        verdict: interval ? kit.allOf(paired) : kit.verdictOf(gx <= 0.05 && gm <= 0.05),
        measured: `shortfall vs best classical: XOR ${(100 * gx).toFixed(1)} points, MNIST ${(100 * gm).toFixed(1)} points; paired QRNN − best: XOR ${kit.points(s.xor_gap_qrnn_best, s.xor_gap_qrnn_best_sem)}, MNIST ${kit.points(s.mnist_gap_qrnn_best, s.mnist_gap_qrnn_best_sem)}`,
      };
    },
  });
}

/** quantum/bausch2020: recurrent quantum neural networks (Bausch, NeurIPS 2020). */
export const bausch2020 = defineExperiment({
  id: 'quantum/bausch2020',
  paper: {
    title: 'Recurrent Quantum Neural Networks',
    authors: 'Johannes Bausch',
    year: 2020,
    url: 'https://arxiv.org/abs/2006.14619',
    venue: 'NeurIPS 2020',
  },
  summary:
    'A QRNN cell of repeat-until-success quantum neurons (controlled rotations by θ = b + Σwx onto an ancilla, ' +
    'a controlled −iY, un-computation and post-selection, giving the activation arctan(tan²θ)) acts on a ' +
    'cell-state lane once per input; the last cell qubit is read out. Simulated exactly (8–9 qubits, ' +
    'post-selection tracked) and trained by backprop through time on Elman’s XOR sequences and on 0-vs-1 ' +
    'MNIST digits fed as bit sequences, against a GRU and an LSTM with the same parameter count; the expected ' +
    'number of post-selection repetitions is reported.',
  config,
  presets: {
    smoke: {
      xor: { triplets: 3, trainSequences: 16, testSequences: 16, cellQubits: 3, epochs: 2, batchSize: 8 },
      mnist: { trainSize: 24, testSize: 24, pool: 7, inputQubits: 4, cellQubits: 3, epochs: 1, batchSize: 8 },
      seeds: 1,
    },
    paper: {},
  },
  scalars: scalarKeys<Scalar>(),
  claims: [
    claim.custom({
      id: 'xor-learned',
      kind: 'paper',
      statement:
        'The QRNN learns Elman’s XOR sequence task: it predicts the XOR bits, which are the only predictable ones',
      source: {
        quote:
          'a QRNN with demonstrable performance on non-trivial tasks such as sequence learning … sequence prediction tasks from Elman’s seminal paper (1990)',
        where: 'abstract; Elman sequence tasks section',
        restated: 'XOR bits predicted (≥ 90%) while the random bits stay at chance',
      },
      requires: [xorBits],
      rule: {
        text: 'accuracy ≥ 90% on the XOR bits (chance 50%) while the random bits stay near 50% (≤ 65%)',
        params: { minXorAccuracy: 0.9, maxRandomAccuracy: 0.65, minTestBits: 100 },
      },
      check: (s) => ({
        verdict: kit.verdictOf(s.xor_qrnn_acc >= 0.9 && s.xor_qrnn_random_acc <= 0.65),
        measured: `QRNN ${kit.pct(s.xor_qrnn_acc)} on XOR bits (${kit.pct(s.xor_qrnn_random_acc)} on random bits); GRU ${kit.pct(s.xor_gru_acc)}, LSTM ${kit.pct(s.xor_lstm_acc)} with ${s.xor_gru_params}/${s.xor_lstm_params} vs ${s.xor_qrnn_params} parameters`,
      }),
    }),
    claim.inRange({
      id: 'mnist-01',
      kind: 'paper',
      statement:
        'Fed pixel by pixel, the QRNN separates MNIST 0s from 1s with high test accuracy (paper: > 95% with 12 qubits)',
      source: {
        quote:
          'feeding the QRNN each image pixel-by-pixel; with a network utilizing only 12 qubits we reach a test set accuracy over 95% when discriminating between the digits 0 and 1',
        where: 'abstract; MNIST section',
        value: '> 95% (12 qubits)',
        restated: 'binarised 7×7 digits, 9 qubits',
      },
      requires: [mnistDigits],
      value: 'mnist_qrnn_acc',
      range: [0.95, Number.POSITIVE_INFINITY],
      label: 'QRNN test accuracy',
      note: 'paper: > 95% with 12 qubits',
      detail: (s) =>
        `${s.mnist_qubits} qubits; GRU ${kit.pct(s.mnist_gru_acc)}, LSTM ${kit.pct(s.mnist_lstm_acc)} with ${s.mnist_gru_params}/${s.mnist_lstm_params} vs ${s.mnist_qrnn_params} parameters`,
    }),
    seedSpreadRevision(matchesBaselines),
  ],
  datasets: () => ['mnist'],
  async run(ctx, cfg) {
    const digits = await loadIdxImageDataset(ctx.data, 'mnist', {
      classes: [0, 1],
      trainLimit: cfg.mnist.trainSize,
      testLimit: cfg.mnist.testSize,
    });
    const m = cfg.mnist;
    const seqOf = (split: 'train' | 'test') => {
      const a = digits.arrays(split);
      return digitSequences(a.x, a.y as Int32Array, m.pool, m.threshold, m.inputQubits);
    };
    const tasks: Record<Task, TaskData> = {
      // Elman's XOR task.
      xor: {
        spec: { inputQubits: 1, cellQubits: cfg.xor.cellQubits, stages: cfg.xor.stages },
        train: xorSequences(cfg.xor.trainSequences, cfg.xor.triplets, ctx.rng.split('xor-train')),
        test: xorSequences(cfg.xor.testSequences, cfg.xor.triplets, ctx.rng.split('xor-test')),
      },
      // MNIST 0 vs 1.
      mnist: {
        spec: { inputQubits: m.inputQubits, cellQubits: m.cellQubits, stages: m.stages },
        train: seqOf('train'),
        test: seqOf('test'),
      },
    };
    const done = await kit.runCells(ctx, {
      label: 'task × seed × model',
      cells: kit.grid({ task: TASKS, seed: kit.seeds(cfg.seeds), model: MODELS }),
      key: ({ task, model, seed }) => `${task}-${model}-s${seed}`,
      run: ({ task, model, seed }) =>
        trainSequenceModel(model, {
          ...tasks[task],
          ...cfg[task],
          init: cfg.init,
          baselines: cfg.baselines,
          rng: {
            init: ctx.rng.split(`${task}-${model}-init-${seed}`),
            order: ctx.rng.split(`${task}-${model}-order-${seed}`),
          },
          name: `bausch-${ctx.runId}-${task}-${model}-${seed}`,
          signal: ctx.signal,
          onEpoch: (epoch, loss) => ctx.log.scalars({ [`${task}_${model}_loss`]: loss }, epoch),
          score: (probs, test) => {
            if (task !== 'xor') return { scored: lastStepAccuracy(probs, test), random: Number.NaN };
            const r = xorStreamAccuracy(probs, test);
            return { scored: r.xor, random: r.random };
          },
        }),
      describe: ({ task, model, seed }, r) => `${task} ${model} seed ${seed}: ${kit.pct(r.accuracy)}`,
    });

    const scalars: Scalars<Scalar> = { seeds: cfg.seeds };
    const curves: SeriesRow[] = [];
    const runs: SeriesRow[] = [];
    const rows: Array<Array<string | number>> = [];
    const figures = ['accuracy', 'randomAccuracy', 'log10Repetitions', 'neuronSuccess'] as const;
    const or = (shown: boolean, v: number | undefined) => (shown ? v! : '—');
    for (const task of TASKS) {
      scalars[`${task}_qubits`] = qrnnQubits(tasks[task].spec);
      scalars[`${task}_steps`] = tasks[task].train.steps;
      for (const model of MODELS) {
        const rs = kit.pick(done, { task, model });
        const p = rs[0]!.params;
        const [acc, randomAcc, reps, success] = figures.map((k) => kit.mean(rs.map((r) => r[k])));
        for (const [seed, r] of rs.entries())
          runs.push({ task, model, seed, accuracy: r.accuracy, params: r.params });
        for (const [e, loss] of rs[0]!.losses.entries())
          curves.push({ task, model: `${task} · ${model}`, epoch: e + 1, loss });
        scalars[`${task}_${model}_acc`] = acc;
        scalars[`${task}_${model}_params`] = p;
        if (task === 'xor') scalars[`xor_${model}_random_acc`] = randomAcc;
        const q = model === 'qrnn';
        if (q) scalars[`${task}_qrnn_log10_repetitions`] = reps;
        if (q) scalars[`${task}_qrnn_neuron_success`] = success;
        rows.push([task, model, p, acc!, or(task === 'xor', randomAcc), or(q, reps), or(q, success)]);
      }
      // Paired over seeds: the QRNN against the better (by mean) of GRU and LSTM.
      const best = scalars[`${task}_gru_acc`]! >= scalars[`${task}_lstm_acc`]! ? 'gru' : 'lstm';
      const g = kit.pairedGap(
        kit.pick(done, { task, model: 'qrnn' }).map((r) => r.accuracy),
        kit.pick(done, { task, model: best }).map((r) => r.accuracy),
      );
      [scalars[`${task}_gap_qrnn_best`], scalars[`${task}_gap_qrnn_best_sem`]] = [g.mean, g.sem];
    }
    scalars.xor_test_bits = (tasks.xor.test.n * tasks.xor.test.steps) / 3;
    scalars.mnist_test_size = tasks.mnist.test.n;

    return {
      scalars,
      series: { curves, runs },
      tables: [
        kit.table(
          'results',
          'Test accuracy (XOR: predictable bits; MNIST: 0 vs 1) and the cost of post-selection',
          [
            'task',
            'model',
            'parameters',
            'accuracy',
            'random-bit accuracy',
            'log10 expected repetitions (whole sequence)',
            'success per neuron',
          ],
          rows,
        ),
      ],
      plots: [trainingLossPlot('bausch-training-loss')],
    };
  },
});
