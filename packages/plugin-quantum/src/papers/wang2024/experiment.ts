import { defineExperiment, scalarKeys, z } from '@paperlab/core';
import { claimsFor, pct, table } from '@paperlab/core/kit';
import { int, num, positive } from '../../config/fields.js';
import { loadImagesSized } from '../../data/images.js';
import { gapClaim, gapOf, intervalRule, summaryFigures, trainedFairly } from '../../models/claims.js';
import { compareImageModels } from '../../models/imageComparison.js';
import { trainingLossPlot } from '../../models/plots.js';
import { recordGap } from '../../models/seeds.js';
import { buildModel, MODELS, type ModelKey } from './levels.js';

const config = z.strictObject({
  dataset: z.enum(['mnist', 'fashion-mnist']).default('mnist'),
  trainSize: int(2000, [50, 60_000]),
  testSize: int(1000, [50, 10_000]),
  imageSize: z
    .number()
    .int()
    .multipleOf(4)
    .min(4)
    .max(28)
    .default(12)
    .describe('images are area-resized to this side (two 2×2/2 layers → side/4)'),
  channels: int(4, [1, 4], 'channels of the conv/quanv layers (4 qubits)'),
  quanvLayers: int(2, [1, 6], 'layers of each quanvolution circuit'),
  head: z
    .strictObject({
      qubits: int(5, [4, 10], 'qubits of the re-uploading head'),
      layers: int(3, [1, 8], 're-uploading layers (encode → rotate → entangle)'),
      mlpHidden: int(6, [1, 4096], 'hidden units of the MLP control head (6 ≈ the linear head’s weights)'),
    })
    .default({ qubits: 5, layers: 3, mlpHidden: 6 }),
  epochs: int(24, [1, 500], 'first version: 8'),
  batchSize: int(32, [8, 4096]),
  lr: positive(1e-2, 1),
  seeds: int(3, [1, 20]),
  tolerance: num(0.015, [0, 1], 'accuracy change (fraction) counted as "unchanged"'),
});

/** Config of quantum/wang2024. */
export type Wang2024Config = z.infer<typeof config>;

type Gap = 'level1_level0' | 'level2_level1' | 'level1mlp_level2' | 'level0relu_level0';
type Run = 'train_size' | 'test_size' | 'image_size' | 'seeds';
type Scalar =
  | Run
  | `${'train_acc' | 'params' | 'plateau'}_${ModelKey}`
  | `train_acc_${ModelKey}_sd`
  | `${`acc_${ModelKey}` | `gap_${Gap}`}${'' | '_sem'}`;

type Cfg = Wang2024Config;
const claim = claimsFor<Cfg, Scalar>();
const tolerance = { margin: (cfg: Cfg) => cfg.tolerance, marginName: 'config.tolerance' };
/** Enough run, and every compared model trained (CLAIMS.md §4). */
const trained = (...pairs: Array<readonly [ModelKey, ModelKey]>) => [
  claim.atLeast('seeds', 2, 'seeds'),
  claim.atLeast('train_size', 500, 'training images'),
  trainedFairly<Cfg, Scalar>(summaryFigures, pairs),
];

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
    gapClaim<Cfg, Scalar>({
      id: 'level1-keeps-accuracy',
      kind: 'paper',
      statement:
        'Swapping both convolutions for quanvolutions leaves the accuracy unchanged (repo, MNIST: 92.3% → 92.3%)',
      source: {
        quote:
          'classical layers are gradually replaced by quantum layers … to demonstrate the change of performance',
        where: 'abstract; MNIST numbers from the authors’ code repository (level 0 → level 1)',
        value: '92.3% → 92.3%',
        restated: 'as a paired gap over seeds at CPU scale, within the tolerance',
      },
      requires: trained(['level1', 'level0'], ['level0', 'level1']),
      sense: 'within',
      what: 'level 1 − level 0',
      ...tolerance,
      parts: (s) => [gapOf(s, 'gap_level1_level0', 'level 1 − level 0')],
      measured: (s) => `level 0 ${pct(s.acc_level0)} → level 1 ${pct(s.acc_level1)}`,
    }),
    gapClaim<Cfg, Scalar>({
      id: 'level2-gains',
      kind: 'paper',
      statement:
        'Also swapping the linear layer for a re-uploading circuit raises the accuracy (repo, MNIST: 92.3% → 96.9%)',
      source: {
        quote: 'level 2 replaces the final linear layer with a data re-uploading circuit',
        where: 'abstract (framework); MNIST numbers from the authors’ code repository (level 1 → level 2)',
        value: '92.3% → 96.9%',
      },
      requires: trained(['level2', 'level1'], ['level1', 'level2']),
      sense: 'above',
      what: 'level 2 − level 1',
      ...tolerance,
      note: 'repo: +4.6 pts',
      parts: (s) => [gapOf(s, 'gap_level2_level1', 'level 2 − level 1')],
      measured: (s) => `level 1 ${pct(s.acc_level1)} → level 2 ${pct(s.acc_level2)}`,
    }),
    gapClaim<Cfg, Scalar>({
      id: 'gain-is-nonlinearity',
      kind: 'control',
      statement:
        'Control (this reproduction): a classical nonlinearity does as well as the re-uploading circuit — the same level-1 features with an MLP head of the linear head’s size reach level 2’s accuracy',
      requires: [
        ...trained(['level1Mlp', 'level2'], ['level2', 'level1Mlp']),
        (s, cfg) =>
          !(s.gap_level2_level1 > Math.max(cfg.tolerance, 2 * s.gap_level2_level1_sem)) &&
          'no level-2 gain to explain',
      ],
      revisedRequires: [
        (s, cfg) =>
          intervalRule('above', s.gap_level2_level1, s.gap_level2_level1_sem, cfg.tolerance, 2) !==
            'reproduced' && 'no level-2 gain to explain',
      ],
      sense: 'not-below',
      what: 'level 1 + MLP head − level 2',
      ...tolerance,
      parts: (s) => [gapOf(s, 'gap_level1mlp_level2', 'level 1 + MLP − level 2')],
      measured: (s) =>
        `level 1 + MLP head ${pct(s.acc_level1Mlp)} vs level 2 ${pct(s.acc_level2)}; level 0 + ReLU ${pct(s.acc_level0Relu)}, level 0 + MLP head ${pct(s.acc_level0Mlp)}`,
    }),
  ],
  datasets: (cfg) => [cfg.dataset],
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
