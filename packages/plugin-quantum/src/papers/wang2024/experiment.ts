import type { Rng } from '@paperlab/core';
import { defineExperiment, scalarKeys, z } from '@paperlab/core';
import { claimsFor, pct, points, type ScalarView, table } from '@paperlab/core/kit';
import { Sequential } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { quanvCircuit } from '../../circuits/ansatze.js';
import { zEach } from '../../circuits/observables.js';
import { loadImagesSized } from '../../data/images.js';
import { patchConv } from '../../layers/blocks.js';
import { Quanvolution } from '../../layers/quanvolution.js';
import { reuploadHead } from '../../layers/reuploadHead.js';
import { mapStage, Stack, sequentialStage } from '../../layers/stack.js';
import { notWorseThan } from '../../models/claims.js';
import { compareImageModels } from '../../models/imageComparison.js';
import { trainingLossPlot } from '../../models/plots.js';
import { recordGap } from '../../models/seeds.js';

const config = z.strictObject({
  dataset: z.enum(['mnist', 'fashion-mnist']).default('mnist'),
  trainSize: z.number().int().min(50).max(60_000).default(2000),
  testSize: z.number().int().min(50).max(10_000).default(1000),
  imageSize: z
    .number()
    .int()
    .multipleOf(4)
    .min(4)
    .max(28)
    .default(12)
    .describe('images are area-resized to this side (two 2×2/2 layers → side/4)'),
  channels: z
    .number()
    .int()
    .min(1)
    .max(4)
    .default(4)
    .describe('channels of the conv/quanv layers (4 qubits)'),
  quanvLayers: z.number().int().min(1).max(6).default(2).describe('layers of each quanvolution circuit'),
  head: z
    .strictObject({
      qubits: z.number().int().min(4).max(10).default(5).describe('qubits of the re-uploading head'),
      layers: z
        .number()
        .int()
        .min(1)
        .max(8)
        .default(3)
        .describe('re-uploading layers (encode → rotate → entangle)'),
      mlpHidden: z
        .number()
        .int()
        .min(1)
        .default(6)
        .describe('hidden units of the MLP control head (6 ≈ the linear head’s weights)'),
    })
    .default({ qubits: 5, layers: 3, mlpHidden: 6 }),
  epochs: z.number().int().min(1).default(8),
  batchSize: z.number().int().min(8).default(32),
  lr: z.number().positive().default(1e-2),
  seeds: z.number().int().min(1).max(20).default(3),
  tolerance: z.number().min(0).default(0.015).describe('accuracy change (fraction) counted as "unchanged"'),
});

/** Config of quantum/wang2024. */
export type Wang2024Config = z.infer<typeof config>;

const MODELS = {
  level0: 'level 0: conv → conv → linear (no activations)',
  level0Relu: 'control: level 0 + ReLU after each conv',
  level0Mlp: 'control: level 0 with an MLP head',
  level1: 'level 1: quanv → quanv → linear',
  level1Mlp: 'control: level 1 with an MLP head',
  level2: 'level 2: quanv → quanv → re-uploading circuit',
} as const;
type ModelKey = keyof typeof MODELS;
type Gap = 'level1_level0' | 'level2_level1' | 'level1mlp_level2' | 'level0relu_level0';
type Run = 'train_size' | 'test_size' | 'image_size' | 'seeds';
type Scalar =
  | Run
  | `${'train_acc' | 'params'}_${ModelKey}`
  | `${`acc_${ModelKey}` | `gap_${Gap}`}${'' | '_sem'}`;

const claim = claimsFor<Wang2024Config, Scalar>();
const tolerance = { k: 2, tolerance: 'config.tolerance (default 0.015)' };
const enoughRun = [claim.atLeast('seeds', 2, 'seeds'), claim.atLeast('train_size', 500, 'training images')];
/** The bar a change must clear (or stay within): max(tolerance, 2 paired s.e.). */
const bar = (s: ScalarView<Scalar>, cfg: Wang2024Config, gap: Gap) =>
  Math.max(cfg.tolerance, 2 * s[`gap_${gap}_sem`]);
const shift = (s: ScalarView<Scalar>, gap: Gap) => points(s[`gap_${gap}`], s[`gap_${gap}_sem`]);

/** Level 0 (two 2×2/2 convolutions, linear head), level 1 (quanvolutions), level 2 (re-uploading head), controls. */
function buildModel(key: ModelKey, cfg: Wang2024Config, rng: Rng, name: string): Stack {
  const s = cfg.imageSize;
  const c = cfg.channels;
  const features = (s / 4) * (s / 4) * c;
  const quanv = (i: number, channels: number, features: number, scale: number, reupload: boolean) =>
    new Quanvolution({
      kernel: 2,
      channels,
      circuit: quanvCircuit(features, cfg.quanvLayers, scale, reupload),
      observables: zEach(c),
      rng: rng.split(`quanv-${i}`),
      name: `${name}/quanv-${i}`,
    });
  const convs = () => {
    const conv = patchConv(c, key === 'level0Relu' ? 'relu' : 'linear');
    return sequentialStage(
      Sequential.build([conv, conv, { type: 'flatten' }], [s, s, 1], rng.split('convs'), `${name}/convs`),
    );
  };
  const body =
    key === 'level1' || key === 'level1Mlp' || key === 'level2'
      ? [
          quanv(1, 1, 4, Math.PI, false),
          quanv(2, c, 4 * c, Math.PI / 2, true),
          mapStage((x) => tf.reshape(x, [x.shape[0]!, -1])),
        ]
      : [convs()];
  const hrng = rng.split('head');
  const h = cfg.head;
  if (key === 'level2') {
    const head = reuploadHead({
      features,
      qubits: h.qubits,
      layers: h.layers,
      rng: hrng,
      name: `${name}/head`,
    });
    return new Stack([...body, head]);
  }
  const mlp = key === 'level0Mlp' || key === 'level1Mlp';
  const hidden = mlp ? [{ type: 'dense', units: h.mlpHidden, activation: 'relu' } as const] : [];
  const out = { type: 'dense', units: 10, init: 'glorot' } as const;
  return new Stack([
    ...body,
    sequentialStage(Sequential.build([...hidden, out], [features], hrng, `${name}/head`)),
  ]);
}

/** quantum/wang2024: gradually swapping classical layers for quantum ones (Wang et al. 2024). */
export const wang2024 = defineExperiment({
  id: 'quantum/wang2024',
  paper: {
    title:
      'Let the Quantum Creep In: Designing Quantum Neural Network Models by Gradually Swapping Out Classical Components',
    authors: 'Peiyong Wang, Casey R. Myers, Lloyd C. L. Hollenberg, Udaya Parampalli',
    year: 2024,
    url: 'https://arxiv.org/abs/2409.17583',
  },
  summary:
    'A three-layer network without activations (2×2/2 conv, 2×2/2 conv, linear) on downsampled images, made ' +
    'quantum one layer at a time: level 1 swaps both convolutions for trainable 4-qubit quanvolutions, level 2 ' +
    'also swaps the linear layer for a data re-uploading circuit whose Z and ZZ expectations are the logits. ' +
    'Controls measured in the same run with the same initialisation and batch order: level 0 with ReLU, and ' +
    'level 0 and level 1 with a small MLP head (as many weights as the linear head) — is the level-2 gain ' +
    'quantum, or the nonlinearity it adds?',
  config,
  presets: {
    smoke: { trainSize: 150, testSize: 80, epochs: 1, seeds: 1, quanvLayers: 1, head: { layers: 1 } },
    ci: { trainSize: 800, testSize: 400, epochs: 4, seeds: 2 },
    paper: {},
  },
  scalars: scalarKeys<Scalar>(),
  claims: [
    claim.custom({
      id: 'level1-keeps-accuracy',
      kind: 'paper',
      statement:
        'Swapping both convolutions for quanvolutions leaves the accuracy unchanged (repo, MNIST: 92.3% → 92.3%)',
      source: {
        quote:
          'classical layers are gradually replaced by quantum layers … to demonstrate the change of performance',
        where: 'abstract; MNIST numbers from the authors’ code repository (level 0 → level 1)',
        value: '92.3% → 92.3%',
        restated: 'as a paired gap over seeds at CPU scale, within max(tolerance, 2 s.e.)',
      },
      requires: enoughRun,
      rule: { text: '|level 1 − level 0| ≤ max(tolerance, 2 s.e.)', params: tolerance },
      check: (s, cfg) => ({
        verdict:
          Math.abs(s.gap_level1_level0) <= bar(s, cfg, 'level1_level0') ? 'reproduced' : 'not-reproduced',
        measured: `level 0 ${pct(s.acc_level0)} → level 1 ${pct(s.acc_level1)} (${shift(s, 'level1_level0')})`,
        expected: `|level 1 − level 0| ≤ max(${points(cfg.tolerance)}, 2 s.e.)`,
      }),
    }),
    claim.custom({
      id: 'level2-gains',
      kind: 'paper',
      statement:
        'Also swapping the linear layer for a re-uploading circuit raises the accuracy (repo, MNIST: 92.3% → 96.9%)',
      source: {
        quote: 'level 2 replaces the final linear layer with a data re-uploading circuit',
        where: 'abstract (framework); MNIST numbers from the authors’ code repository (level 1 → level 2)',
        value: '92.3% → 96.9%',
      },
      requires: enoughRun,
      rule: { text: 'level 2 − level 1 > max(tolerance, 2 s.e.)', params: tolerance },
      check: (s, cfg) => ({
        verdict: s.gap_level2_level1 > bar(s, cfg, 'level2_level1') ? 'reproduced' : 'not-reproduced',
        measured: `level 1 ${pct(s.acc_level1)} → level 2 ${pct(s.acc_level2)} (${shift(s, 'level2_level1')})`,
        expected: `level 2 − level 1 > max(${points(cfg.tolerance)}, 2 s.e.) (repo: +4.6 pts)`,
      }),
    }),
    notWorseThan<Wang2024Config, Scalar>({
      id: 'gain-is-nonlinearity',
      kind: 'control',
      statement:
        'Control (this reproduction): a classical nonlinearity does as well as the re-uploading circuit — the same level-1 features with an MLP head of the linear head’s size reach level 2’s accuracy',
      requires: [
        ...enoughRun,
        (s, cfg) => !(s.gap_level2_level1 > bar(s, cfg, 'level2_level1')) && 'no level-2 gain to explain',
      ],
      gap: 'gap_level1mlp_level2',
      sem: 'gap_level1mlp_level2_sem',
      tolerance: 'tolerance',
      a: 'level 1 + MLP head',
      b: 'level 2',
      measured: (s) =>
        `level 1 + MLP head ${pct(s.acc_level1Mlp)} vs level 2 ${pct(s.acc_level2)}; level 0 + ReLU ${pct(s.acc_level0Relu)}, level 0 + MLP head ${pct(s.acc_level0Mlp)}`,
    }),
  ],
  async run(ctx, cfg) {
    const data = await loadImagesSized(ctx.data, cfg.dataset, cfg);
    const { results, curves, scalars, rows, title } = await compareImageModels(ctx, data, {
      labels: MODELS,
      build: (key, init, name) => buildModel(key, cfg, init, name),
      tag: 'wang',
      dataset: cfg.dataset,
      imageSize: cfg.imageSize,
      epochs: cfg.epochs,
      batchSize: cfg.batchSize,
      lr: cfg.lr,
      seeds: cfg.seeds,
    });
    recordGap(results, scalars, 'level1_level0', 'level1', 'level0');
    recordGap(results, scalars, 'level2_level1', 'level2', 'level1');
    recordGap(results, scalars, 'level1mlp_level2', 'level1Mlp', 'level2');
    recordGap(results, scalars, 'level0relu_level0', 'level0Relu', 'level0');
    return {
      scalars,
      series: { curves },
      tables: [
        table('accuracy', title, ['model', 'weights', 'test accuracy', 's.e.', 'train accuracy'], rows),
      ],
      plots: [trainingLossPlot('wang-training-loss')],
    };
  },
});
