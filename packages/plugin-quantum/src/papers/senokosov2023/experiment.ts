import { type ClaimResult, defineExperiment, type ExperimentOutput, type Rng, z } from '@paperlab/core';
import { Sequential } from '@paperlab/core/train';
import { Circuit } from '../../circuits/circuit.js';
import { Z } from '../../circuits/observables.js';
import { encodedAnsatz } from '../../circuits/templates.js';
import { loadImages } from '../../data/images.js';
import { QuantumLayer } from '../../layers/quantumLayer.js';
import { Quanvolution } from '../../layers/quanvolution.js';
import { parallelStage, quantumStage, Stack, type Stage, sequentialStage } from '../../layers/stack.js';
import { compareImageModels } from '../../models/imageComparison.js';
import { trainingLossPlot } from '../../models/plots.js';
import { pct, points, recordGap } from '../../models/seeds.js';

const config = z.strictObject({
  dataset: z.enum(['mnist', 'fashion-mnist']).default('mnist').describe('image dataset (paper: MNIST)'),
  trainSize: z.number().int().min(50).max(60_000).default(2000).describe('training images (the first ones)'),
  testSize: z.number().int().min(50).max(10_000).default(1000).describe('test images (the first ones)'),
  imageSize: z.number().int().min(8).max(28).default(14).describe('images are area-resized to this side'),
  parallel: z
    .strictObject({
      circuits: z.number().int().min(1).max(10).default(5).describe('parallel circuits (paper: 5)'),
      qubits: z.number().int().min(2).max(8).default(4).describe('qubits per circuit (paper: 4)'),
      layers: z.number().int().min(1).max(8).default(2).describe('variational layers per circuit'),
      conv: z.tuple([z.number().int().min(1), z.number().int().min(1)]).default([8, 16]),
    })
    .default({ circuits: 5, qubits: 4, layers: 2, conv: [8, 16] }),
  quanv: z
    .strictObject({
      layers: z
        .number()
        .int()
        .min(1)
        .max(8)
        .default(2)
        .describe('variational layers of the 4-qubit patch circuit'),
      wideFilters: z
        .number()
        .int()
        .min(4)
        .default(16)
        .describe(
          'filters of the larger classical conv counterpart (paper: the classical CNN has ~4× the weights)',
        ),
    })
    .default({ layers: 2, wideFilters: 16 }),
  epochs: z.number().int().min(1).default(5),
  batchSize: z.number().int().min(8).default(50),
  lr: z.number().positive().default(5e-3),
  seeds: z.number().int().min(1).max(20).default(5).describe('seeds per model (init + batch order)'),
  tolerance: z
    .number()
    .min(0)
    .default(0.01)
    .describe('accuracy deficit (fraction) still counted as "not worse" (on top of 2 paired s.e.)'),
});

/** Config of quantum/senokosov2023. */
export type Senokosov2023Config = z.infer<typeof config>;

const MODELS = {
  parallel: 'HQNN-Parallel (CNN → parallel circuits → head)',
  parallelTwin: 'classical twin: each circuit → dense 4→4 (no bias) + tanh',
  quanv: 'HQNN-Quanv (trainable 2×2 quanvolution → head)',
  quanvTwin: 'classical twin: 2×2/2 conv, 4 filters + tanh',
  quanvWide: 'classical counterpart: 2×2/2 conv, more filters + ReLU',
} as const;
type ModelKey = keyof typeof MODELS;

/** The 4-qubit circuit of one HQNN-Parallel block: RY(x) encoding, L × (RY, RZ on every qubit → CNOT ring). */
export function parallelCircuit(qubits: number, layers: number, inputScale = 1): Circuit {
  return encodedAnsatz(new Circuit(qubits), {
    qubits,
    features: qubits,
    layers,
    encoding: ['ry'],
    rotations: ['ry', 'rz'],
    entangle: 'ring',
    inputScale,
  });
}

function buildModel(key: ModelKey, cfg: Senokosov2023Config, rng: Rng, name: string): Stack {
  const s = cfg.imageSize;
  const p = cfg.parallel;
  const width = p.circuits * p.qubits;
  if (key === 'parallel' || key === 'parallelTwin') {
    // Shared CNN front (same init for the hybrid and its twin under one seed): features bounded by tanh.
    const front = Sequential.build(
      [
        { type: 'conv2d', filters: p.conv[0], kernel: 3, activation: 'relu' },
        { type: 'maxPool', size: 2 },
        { type: 'conv2d', filters: p.conv[1], kernel: 3, activation: 'relu' },
        { type: 'maxPool', size: 2 },
        { type: 'flatten' },
        { type: 'dense', units: width, activation: 'tanh' },
      ],
      [s, s, 1],
      rng.split('front'),
      `${name}/front`,
    );
    const blocks: Stage[] = Array.from({ length: p.circuits }, (_, i) =>
      key === 'parallel'
        ? quantumStage(
            new QuantumLayer({
              circuit: parallelCircuit(p.qubits, p.layers, Math.PI / 2),
              observables: Array.from({ length: p.qubits }, (_, q) => Z(q)),
              rng: rng.split(`circuit-${i}`),
              name: `${name}/circuit-${i}`,
            }),
          )
        : sequentialStage(
            Sequential.build(
              [{ type: 'dense', units: p.qubits, activation: 'tanh', bias: false, init: 'glorot' }],
              [p.qubits],
              rng.split(`block-${i}`),
              `${name}/block-${i}`,
            ),
          ),
    );
    const head = Sequential.build(
      [{ type: 'dense', units: 10, init: 'glorot' }],
      [width],
      rng.split('head'),
      `${name}/head`,
    );
    return new Stack([
      sequentialStage(front),
      parallelStage(
        blocks,
        blocks.map(() => p.qubits),
      ),
      sequentialStage(head),
    ]);
  }
  const o = Math.floor(s / 2);
  if (key === 'quanv') {
    const circuit = encodedAnsatz(new Circuit(4), {
      qubits: 4,
      features: 4,
      layers: cfg.quanv.layers,
      encoding: ['ry'],
      rotations: ['ry', 'rz'],
      entangle: 'ring',
      inputScale: Math.PI,
    });
    const quanv = new Quanvolution({
      kernel: 2,
      channels: 1,
      circuit,
      observables: [0, 1, 2, 3].map((q) => Z(q)),
      rng: rng.split('quanv'),
      name: `${name}/quanv`,
    });
    const head = Sequential.build(
      [{ type: 'flatten' }, { type: 'dense', units: 10, init: 'glorot' }],
      [o, o, 4],
      rng.split('head'),
      `${name}/head`,
    );
    return new Stack([quanv, sequentialStage(head)]);
  }
  const filters = key === 'quanvTwin' ? 4 : cfg.quanv.wideFilters;
  const net = Sequential.build(
    [
      {
        type: 'conv2d',
        filters,
        kernel: 2,
        stride: 2,
        padding: 'valid',
        activation: key === 'quanvTwin' ? 'tanh' : 'relu',
        init: 'glorot',
      },
      { type: 'flatten' },
      { type: 'dense', units: 10, init: 'glorot' },
    ],
    [s, s, 1],
    rng.split('net'),
    `${name}/net`,
  );
  return new Stack([sequentialStage(net)]);
}

/** Parameters of the quantum (or matched classical) block only, for the table. */
function blockParams(key: ModelKey, cfg: Senokosov2023Config): number {
  const p = cfg.parallel;
  switch (key) {
    case 'parallel':
      return p.circuits * p.layers * p.qubits * 2;
    case 'parallelTwin':
      return p.circuits * p.qubits * p.qubits;
    case 'quanv':
      return cfg.quanv.layers * 4 * 2;
    case 'quanvTwin':
      return 4 * 4 + 4;
    case 'quanvWide':
      return cfg.quanv.wideFilters * 5;
  }
}

function notWorse(
  out: ExperimentOutput,
  cfg: Senokosov2023Config,
  hybrid: ModelKey,
  twin: ModelKey,
  paper: string,
): ClaimResult {
  const s = out.scalars;
  const gap = s[`gap_${hybrid}`]!;
  const se = s[`gap_${hybrid}_sem`]!;
  const tol = Math.max(cfg.tolerance, 2 * se);
  const measured = `${MODELS[hybrid].split(' (')[0]} ${pct(s[`acc_${hybrid}`])} (${s[`params_${hybrid}`]} weights) vs twin ${pct(s[`acc_${twin}`])} (${s[`params_${twin}`]} weights): paired gap ${points(gap, se)} over ${s.seeds} seeds`;
  const expected = `hybrid no more than max(${points(cfg.tolerance)}, 2 s.e.) below its parameter-matched classical twin (${paper})`;
  if (s.seeds! < 2 || s.train_size! < 500)
    return { verdict: 'inconclusive', measured: `${measured}; too small a run`, expected };
  return { verdict: gap >= -tol ? 'reproduced' : 'not-reproduced', measured, expected };
}

/** quantum/senokosov2023: hybrid quantum neural networks for image classification (Senokosov et al. 2023). */
export const senokosov2023 = defineExperiment({
  id: 'quantum/senokosov2023',
  paper: {
    title: 'Quantum machine learning for image classification',
    authors: 'Arsenii Senokosov, Alexandr Sedykh, Asel Sagingalieva, Basil Kyriacou, Alexey Melnikov',
    year: 2023,
    url: 'https://arxiv.org/abs/2304.09224',
  },
  summary:
    'Two hybrid quantum neural networks on downsampled MNIST: HQNN-Parallel (a small CNN, a dense layer and ' +
    'several parallel 4-qubit variational circuits with RY angle encoding, RY/RZ layers and CNOT rings, ' +
    'Z expectations, linear head) and HQNN-Quanv (a trainable 4-qubit quanvolution on 2×2 patches, linear ' +
    'head). Each is compared, with the same front, head, initialisation and batch order, against a classical ' +
    'twin in which every circuit becomes a parameter-matched classical layer, plus a larger classical conv ' +
    'counterpart, over several seeds.',
  config,
  presets: {
    smoke: {
      trainSize: 200,
      testSize: 100,
      epochs: 1,
      seeds: 1,
      parallel: { layers: 1 },
      quanv: { layers: 1 },
    },
    ci: { trainSize: 600, testSize: 400, epochs: 3, seeds: 2 },
    paper: {},
  },
  claims: [
    {
      id: 'parallel-not-worse',
      statement:
        'HQNN-Parallel is at least as accurate as its classical counterpart (paper: 99.21% on full MNIST with 8× fewer weights than the classical CNN)',
      check: (out, cfg) =>
        notWorse(out, cfg, 'parallel', 'parallelTwin', 'paper: 99.21% vs a larger classical CNN'),
    },
    {
      id: 'quanv-not-worse',
      statement:
        'HQNN-Quanv matches its classical counterpart (paper: 99.0% vs 99.1% with 4× fewer weights, and beats a classical model with as many weights)',
      check: (out, cfg) =>
        notWorse(out, cfg, 'quanv', 'quanvTwin', 'paper: beats a classical model with equal weights'),
    },
    {
      id: 'quantum-layers-help',
      statement:
        'The quantum layers themselves add accuracy: each hybrid beats its parameter-matched classical twin by more than 2 paired s.e.',
      check: (out) => {
        const s = out.scalars;
        const expected =
          'both hybrids above their twins by > 2 paired s.e. (the advantage the paper attributes to the quantum layers)';
        const measured = `HQNN-Parallel ${points(s.gap_parallel!, s.gap_parallel_sem)}, HQNN-Quanv ${points(s.gap_quanv!, s.gap_quanv_sem)} vs twins`;
        if (s.seeds! < 2 || s.train_size! < 500)
          return { verdict: 'inconclusive', measured: `${measured}; too small a run`, expected };
        const ok =
          s.gap_parallel! > 2 * s.gap_parallel_sem! &&
          s.gap_quanv! > 2 * s.gap_quanv_sem! &&
          s.gap_parallel! > 0;
        return { verdict: ok ? 'reproduced' : 'not-reproduced', measured, expected };
      },
    },
  ],
  async run(ctx, cfg) {
    const data = await loadImages(ctx.data, cfg.dataset, {
      train: cfg.trainSize,
      test: cfg.testSize,
      size: cfg.imageSize,
    });
    // The init generator is shared by a hybrid and its twin, so common parts start identical.
    const {
      results,
      curves,
      scalars,
      rows: accuracyRows,
      title,
    } = await compareImageModels(ctx, data, {
      labels: MODELS,
      build: (key, init, name) => buildModel(key, cfg, init, name),
      tag: 'senokosov',
      dataset: cfg.dataset,
      imageSize: cfg.imageSize,
      epochs: cfg.epochs,
      batchSize: cfg.batchSize,
      lr: cfg.lr,
      seeds: cfg.seeds,
      logLoss: true,
    });
    // Rows: model, weights, block weights, test accuracy, s.e., train accuracy.
    const keys = Object.keys(MODELS) as ModelKey[];
    const rows = accuracyRows.map((row, i) => [
      ...row.slice(0, 2),
      blockParams(keys[i]!, cfg),
      ...row.slice(2),
    ]);
    recordGap(results, scalars, 'parallel', 'parallel', 'parallelTwin');
    recordGap(results, scalars, 'quanv', 'quanv', 'quanvTwin');
    recordGap(results, scalars, 'quanv_wide', 'quanv', 'quanvWide');
    return {
      scalars,
      series: { curves },
      tables: [
        {
          id: 'accuracy',
          title,
          columns: ['model', 'weights', 'block weights', 'test accuracy', 's.e.', 'train accuracy'],
          rows,
        },
      ],
      plots: [trainingLossPlot('senokosov-training-loss')],
    };
  },
});
