import { type ClaimResult, defineExperiment, type ExperimentOutput, type Rng, z } from '@paperlab/core';
import { type Activation, ownedVariable, Sequential } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { Circuit } from '../../circuits/circuit.js';
import { type Observable, pauli, Z } from '../../circuits/observables.js';
import { encodedAnsatz } from '../../circuits/templates.js';
import { loadImages } from '../../data/images.js';
import { QuantumLayer } from '../../layers/quantumLayer.js';
import { Quanvolution } from '../../layers/quanvolution.js';
import { mapStage, Stack, type Stage, sequentialStage } from '../../layers/stack.js';
import { compareImageModels } from '../../models/imageComparison.js';
import { trainingLossPlot } from '../../models/plots.js';
import { pct, points, recordGap } from '../../models/seeds.js';

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
    .describe('channels of both conv/quanv layers (4 qubits)'),
  quanvLayers: z
    .number()
    .int()
    .min(1)
    .max(6)
    .default(2)
    .describe('variational layers of each quanvolution circuit'),
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
  tolerance: z
    .number()
    .min(0)
    .default(0.015)
    .describe('accuracy change (fraction) that counts as "unchanged"'),
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

/** The 10 observables of the re-uploading head: ⟨Zᵢ⟩ on every qubit, then ⟨ZᵢZᵢ₊₁⟩ around the ring. */
export function headObservables(qubits: number, classes = 10): Observable[] {
  const out: Observable[] = [];
  for (let i = 0; i < qubits && out.length < classes; i++) out.push(Z(i));
  for (let i = 0; i < qubits && out.length < classes; i++)
    out.push(pauli({ [i]: 'Z', [(i + 1) % qubits]: 'Z' }));
  if (out.length < classes)
    throw new RangeError(`headObservables: ${qubits} qubits give fewer than ${classes} outputs`);
  return out;
}

/** A quanvolution circuit on k·k·c patch features over 4 qubits (features beyond 4 are encoded as extra RZ/RY). */
export function quanvCircuit(
  features: number,
  layers: number,
  inputScale: number,
  reupload: boolean,
): Circuit {
  return encodedAnsatz(new Circuit(4), {
    qubits: 4,
    features,
    layers,
    reupload,
    encoding: ['ry', 'rz'],
    rotations: ['ry', 'rz'],
    entangle: 'ring',
    inputScale,
  });
}

/**
 * Re-uploading head (Pérez-Salinas et al. 2020 style): layer l encodes w_l ⊙ x + b_l with trainable
 * per-feature weights and biases, then trainable rotations and a CNOT ring; logits = α·⟨Oₖ⟩ with a
 * trainable scale α (circuit outputs lie in [−1, 1]).
 */
function reuploadHead(features: number, cfg: Wang2024Config, rng: Rng, name: string): Stage {
  const h = cfg.head;
  const layer = new QuantumLayer({
    circuit: encodedAnsatz(new Circuit(h.qubits), {
      qubits: h.qubits,
      features,
      layers: h.layers,
      reupload: true,
      separateLayerInputs: true,
      encoding: ['ry', 'rz'],
      rotations: ['ry', 'rz'],
      entangle: 'ring',
    }),
    observables: headObservables(h.qubits),
    rng: rng.split('circuit'),
    name: `${name}/circuit`,
  });
  const w = ownedVariable(tf.fill([h.layers * features], Math.PI / 2), `${name}/input-weights`);
  const b = ownedVariable(tf.zeros([h.layers * features]), `${name}/input-biases`);
  const alpha = ownedVariable(tf.scalar(5), `${name}/alpha`);
  return {
    forward: (x) =>
      tf.tidy(() => {
        const angles = tf.add(tf.mul(tf.tile(x, [1, h.layers]), w), b) as tf.Tensor2D;
        return tf.mul(layer.apply(angles), alpha);
      }),
    variables: () => [...layer.variables(), w, b, alpha],
    dispose: () => {
      layer.dispose();
      tf.dispose([w, b, alpha]);
    },
  };
}

function buildModel(key: ModelKey, cfg: Wang2024Config, rng: Rng, name: string): Stack {
  const s = cfg.imageSize;
  const c = cfg.channels;
  const out = s / 4;
  const features = out * out * c;
  const quantum = key === 'level1' || key === 'level1Mlp' || key === 'level2';
  const stages: Stage[] = [];
  if (quantum) {
    stages.push(
      new Quanvolution({
        kernel: 2,
        channels: 1,
        circuit: quanvCircuit(4, cfg.quanvLayers, Math.PI, false),
        observables: Array.from({ length: c }, (_, q) => Z(q)),
        rng: rng.split('quanv-1'),
        name: `${name}/quanv-1`,
      }),
      new Quanvolution({
        kernel: 2,
        channels: c,
        circuit: quanvCircuit(4 * c, cfg.quanvLayers, Math.PI / 2, true),
        observables: Array.from({ length: c }, (_, q) => Z(q)),
        rng: rng.split('quanv-2'),
        name: `${name}/quanv-2`,
      }),
      mapStage((x) => tf.reshape(x, [x.shape[0]!, -1])),
    );
  } else {
    const act: Activation = key === 'level0Relu' ? 'relu' : 'linear';
    stages.push(
      sequentialStage(
        Sequential.build(
          [
            {
              type: 'conv2d',
              filters: c,
              kernel: 2,
              stride: 2,
              padding: 'valid',
              activation: act,
              init: 'glorot',
            },
            {
              type: 'conv2d',
              filters: c,
              kernel: 2,
              stride: 2,
              padding: 'valid',
              activation: act,
              init: 'glorot',
            },
            { type: 'flatten' },
          ],
          [s, s, 1],
          rng.split('convs'),
          `${name}/convs`,
        ),
      ),
    );
  }
  if (key === 'level2') stages.push(reuploadHead(features, cfg, rng.split('head'), `${name}/head`));
  else if (key === 'level0Mlp' || key === 'level1Mlp')
    stages.push(
      sequentialStage(
        Sequential.build(
          [
            { type: 'dense', units: cfg.head.mlpHidden, activation: 'relu' },
            { type: 'dense', units: 10, init: 'glorot' },
          ],
          [features],
          rng.split('head'),
          `${name}/head`,
        ),
      ),
    );
  else
    stages.push(
      sequentialStage(
        Sequential.build(
          [{ type: 'dense', units: 10, init: 'glorot' }],
          [features],
          rng.split('head'),
          `${name}/head`,
        ),
      ),
    );
  return new Stack(stages);
}

function tooSmall(out: ExperimentOutput): boolean {
  return out.scalars.seeds! < 2 || out.scalars.train_size! < 500;
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
  claims: [
    {
      id: 'level1-keeps-accuracy',
      statement:
        'Swapping both convolutions for quanvolutions leaves the accuracy unchanged (repo, MNIST: 92.3% → 92.3%)',
      check: (out, cfg) => {
        const s = out.scalars;
        const tol = Math.max(cfg.tolerance, 2 * s.gap_level1_level0_sem!);
        const measured = `level 0 ${pct(s.acc_level0)} → level 1 ${pct(s.acc_level1)} (${points(s.gap_level1_level0!, s.gap_level1_level0_sem)})`;
        const expected = `|level 1 − level 0| ≤ max(${points(cfg.tolerance)}, 2 s.e.)`;
        if (tooSmall(out))
          return { verdict: 'inconclusive', measured: `${measured}; too small a run`, expected };
        return {
          verdict: Math.abs(s.gap_level1_level0!) <= tol ? 'reproduced' : 'not-reproduced',
          measured,
          expected,
        };
      },
    },
    {
      id: 'level2-gains',
      statement:
        'Also swapping the linear layer for a re-uploading circuit raises the accuracy (repo, MNIST: 92.3% → 96.9%)',
      check: (out, cfg) => {
        const s = out.scalars;
        const bar = Math.max(cfg.tolerance, 2 * s.gap_level2_level1_sem!);
        const measured = `level 1 ${pct(s.acc_level1)} → level 2 ${pct(s.acc_level2)} (${points(s.gap_level2_level1!, s.gap_level2_level1_sem)})`;
        const expected = `level 2 − level 1 > max(${points(cfg.tolerance)}, 2 s.e.) (repo: +4.6 pts)`;
        if (tooSmall(out))
          return { verdict: 'inconclusive', measured: `${measured}; too small a run`, expected };
        return { verdict: s.gap_level2_level1! > bar ? 'reproduced' : 'not-reproduced', measured, expected };
      },
    },
    {
      id: 'gain-is-nonlinearity',
      statement:
        'Control (this reproduction): a classical nonlinearity does as well as the re-uploading circuit — the same level-1 features with an MLP head of the linear head’s size reach level 2’s accuracy',
      check: (out, cfg): ClaimResult => {
        const s = out.scalars;
        const tol = Math.max(cfg.tolerance, 2 * s.gap_level1mlp_level2_sem!);
        const measured = `level 1 + MLP head ${pct(s.acc_level1Mlp)} vs level 2 ${pct(s.acc_level2)} (${points(s.gap_level1mlp_level2!, s.gap_level1mlp_level2_sem)}); level 0 + ReLU ${pct(s.acc_level0Relu)}, level 0 + MLP head ${pct(s.acc_level0Mlp)}`;
        const expected = `level 1 + MLP ≥ level 2 − max(${points(cfg.tolerance)}, 2 s.e.)`;
        if (tooSmall(out))
          return { verdict: 'inconclusive', measured: `${measured}; too small a run`, expected };
        if (!(s.gap_level2_level1! > Math.max(cfg.tolerance, 2 * s.gap_level2_level1_sem!)))
          return { verdict: 'inconclusive', measured: `${measured}; no level-2 gain to explain`, expected };
        return {
          verdict: s.gap_level1mlp_level2! >= -tol ? 'reproduced' : 'not-reproduced',
          measured,
          expected,
        };
      },
    },
  ],
  async run(ctx, cfg) {
    const data = await loadImages(ctx.data, cfg.dataset, {
      train: cfg.trainSize,
      test: cfg.testSize,
      size: cfg.imageSize,
    });
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
        {
          id: 'accuracy',
          title,
          columns: ['model', 'weights', 'test accuracy', 's.e.', 'train accuracy'],
          rows,
        },
      ],
      plots: [trainingLossPlot('wang-training-loss')],
    };
  },
});
