import { defineExperiment, type Rng, type Scalars, type SeriesRow, scalarKeys, z } from '@paperlab/core';
import * as kit from '@paperlab/core/kit';
import { barVerdict, putMeanSem } from '@paperlab/core/kit';
import * as tf from '@tensorflow/tfjs-core';
import { nodeTask, nodeTaskConfig } from '../../data/sbm.js';
import { accuracyRow } from '../../experiments/seedSummary.js';
import { gcnAdjacency } from '../../graph/graph.js';
import { graphTensors } from '../../graph/graphTensors.js';
import { rowMask, splitAccuracy } from '../../train/metrics.js';
import { frontierAt } from './frontier.js';
import { type Bits, QuantGcn, searchBits, trainFixed } from './quantGcn.js';

const UNIFORM = ['W32A32', 'W16A16', 'W8A8', 'W4A8', 'W4A4', 'W2A8', 'W2A2'] as const;
type Uniform = (typeof UNIFORM)[number];
type Config = Uniform | 'learned';

function parse(c: Uniform): Bits {
  const m = /^W(\d+)A(\d+)$/.exec(c)!;
  const w = Number(m[1]);
  const a = Number(m[2]);
  return { w1: w, w2: w, a0: a, a1: a };
}

const config = z.strictObject({
  ...nodeTaskConfig({ nodes: 2000 }),
  hidden: z.number().int().min(2).max(512).default(64),
  epochs: z.number().int().min(1).max(2000).default(200),
  searchEpochs: z
    .number()
    .int()
    .min(1)
    .max(2000)
    .default(200)
    .describe('epochs of the differentiable bit-width search'),
  lambda: z
    .number()
    .min(0)
    .max(100)
    .default(1)
    .describe('weight of the model-size penalty (size relative to float32) in the search'),
  lr: z.number().positive().max(1).default(0.01),
  seeds: z.number().int().min(1).max(10).default(3),
});

/** Config of gnn/zhao2020. */
export type Zhao2020Config = z.infer<typeof config>;

type Key = Lowercase<Uniform> | 'learned';
type Scalar =
  | 'seeds'
  | `acc_${Key}`
  | `acc_${Key}_sem`
  | 'gap_fp32_w4a8'
  | 'gap_fp32_w4a8_sem'
  | 'gap_fp32_w2a2'
  | 'gap_fp32_w2a2_sem'
  | 'learned_size_kb'
  | 'learned_frontier_gap'
  | 'learned_frontier_gap_sem'
  | 'learned_w_bits_mean';

const claim = kit.claimsFor<Zhao2020Config, Scalar>();
/** Every comparison needs two seeds and a float32 GCN that trained. */
const FP32_TRAINED = [
  claim.atLeast('seeds', 2, 'seeds'),
  claim.trained('acc_w32a32', 0.5, 'the float32 GCN (test accuracy)'),
];
const key = (c: Config): Key => (c === 'learned' ? 'learned' : (c.toLowerCase() as Key));

interface CellResult {
  [key: string]: number;
  test: number;
  train: number;
  /** Weight storage in bits (biases in float32). */
  sizeBits: number;
  w1: number;
  w2: number;
  a0: number;
  a1: number;
}

/** One seed's data on the device. */
function setup(cfg: Zhao2020Config, seed: number, rng: Rng) {
  return nodeTask(cfg, rng, seed);
}

async function runCell(cfg: Zhao2020Config, seed: number, which: Config, rng: Rng): Promise<CellResult> {
  const { data, train, test } = setup(cfg, seed, rng);
  const gt = graphTensors(data.graph);
  const labels = tf.tensor1d(data.labels, 'int32');
  const mask = rowMask(train, cfg.nodes);
  const csr = gcnAdjacency(data.graph);
  // Every configuration of a seed starts from the same weights.
  const model = new QuantGcn(rng.split(`init-${seed}`), cfg, csr);
  try {
    let bits: Bits;
    if (which === 'learned') {
      const probe = new QuantGcn(rng.split(`init-${seed}`), cfg, csr);
      bits = searchBits(probe, gt.x!, labels, mask, cfg);
      probe.dispose();
    } else bits = parse(which);
    const pred = trainFixed(model, bits, gt.x!, labels, mask, cfg);
    return { ...splitAccuracy(pred, data.labels, { train, test }), sizeBits: model.sizeBits(bits), ...bits };
  } finally {
    model.dispose();
    tf.dispose([labels, mask]);
    gt.dispose();
  }
}

/** gnn/zhao2020: Learned low-precision GNNs (LPGNAS; Zhao et al. 2020), at CPU scale. */
export const zhao2020 = defineExperiment({
  id: 'gnn/zhao2020',
  paper: {
    title: 'Learned Low Precision Graph Neural Networks',
    authors: 'Yiren Zhao, Duo Wang, Daniel Bates, Robert Mullins, Mateja Jamnik, Pietro Liò',
    year: 2020,
    url: 'https://arxiv.org/abs/2009.09232',
    venue: 'EuroMLSys 2021',
  },
  summary:
    'Node classification on a generated contextual SBM (2,000 nodes, 5 classes, mean degree 10, homophily ' +
    '0.7) with a 2-layer GCN whose weights, activations and adjacency values are fake-quantised (symmetric, ' +
    'per tensor, straight-through gradients). Uniform widths W32A32 … W2A2 are trained from the same initial ' +
    'weights per seed; a differentiable search in the style of LPGNAS picks the width of each of the four ' +
    'quantised tensors (softmax over {2, 4, 8, 16} bits, penalised by the expected weight size), and the ' +
    'chosen mixed-precision model is retrained the same way. Compared: accuracy against float32, and the ' +
    'learned model’s place against the uniform size–accuracy frontier.',
  config,
  presets: {
    smoke: { nodes: 200, hidden: 8, featureDim: 8, epochs: 5, searchEpochs: 5, seeds: 2 },
    paper: {},
  },
  scalars: scalarKeys<Scalar>(),
  claims: [
    claim.custom({
      id: 'near-fp32-down-to-w4a8',
      kind: 'paper',
      statement: 'Uniform quantisation keeps float32 accuracy down to about W4A8',
      source: {
        quote:
          'we suggest a W4A8 (4-bit weights, 8-bit activations) quantisation strategy might be the bottleneck for naive GNN quantisations',
        where: 'abstract; §5 (quantisation statistics)',
        restated: 'float32 − W4A8 test accuracy < 2 points (2 s.e., paired over seeds)',
      },
      requires: FP32_TRAINED,
      rule: {
        text: 'gap + 2 s.e. < 0.02 reproduces; gap − 2 s.e. > 0.02 fails',
        params: { margin: 0.02, k: 2 },
      },
      check: (s) => ({
        verdict: barVerdict(s.gap_fp32_w4a8, s.gap_fp32_w4a8_sem, 0.02, { side: 'below' }),
        measured: `float32 ${kit.pct(s.acc_w32a32)}, W4A8 ${kit.pct(s.acc_w4a8)}: gap ${kit.points(s.gap_fp32_w4a8, s.gap_fp32_w4a8_sem)}`,
      }),
    }),
    claim.beats({
      id: 'cliff-below-w4a8',
      kind: 'paper',
      statement: 'Below W4A8 (at W2A2) accuracy falls off a cliff',
      source: {
        quote: 'a W4A8 … quantisation strategy might be the bottleneck for naive GNN quantisations',
        where: 'abstract; §5',
        restated: 'float32 − W2A2 test accuracy > 5 points (2 s.e., paired over seeds)',
      },
      requires: FP32_TRAINED,
      gap: 'gap_fp32_w2a2',
      sem: 'gap_fp32_w2a2_sem',
      margin: 0.05,
      a: 'float32',
      b: 'W2A2',
      what: 'test accuracy',
      format: (g, e) => kit.points(g, e),
    }),
    claim.beats({
      id: 'learned-beats-uniform-frontier',
      kind: 'paper',
      statement: 'Learned mixed precision lies above the uniform size–accuracy frontier',
      source: {
        quote:
          'LPGNAS shows a better size-accuracy Pareto frontier compared to seven other manual and searched baselines, offering a 2.3 times reduction in model size',
        where: 'abstract; Figure 4 (Pubmed)',
        value: '2.3× smaller model, +0.4 % accuracy vs the best NAS competitor (Pubmed)',
        restated:
          'test accuracy of the searched widths minus the uniform frontier interpolated (in log₂ size) at the same weight size > 0 by 2 s.e.',
      },
      requires: FP32_TRAINED,
      gap: 'learned_frontier_gap',
      sem: 'learned_frontier_gap_sem',
      a: 'learned',
      b: 'uniform frontier',
      what: 'test accuracy at equal weight size',
      format: (g, e) => kit.points(g, e),
      detail: (s) =>
        `learned model ${kit.fmt(s.learned_size_kb, 2)} kB, mean weight width ${kit.fmt(s.learned_w_bits_mean, 1)} bits`,
    }),
    claim.inRange({
      id: 'fp32-trains',
      kind: 'control',
      statement: 'Control: the float32 GCN learns the task (test accuracy ≥ 70 %)',
      value: 'acc_w32a32',
      range: [0.7, 1],
      label: 'float32 test accuracy',
    }),
  ],
  async run(ctx, cfg) {
    const configs: Config[] = [...UNIFORM, 'learned'];
    const done = await kit.runCells(ctx, {
      label: 'seed × precision',
      cells: kit.grid({ seed: kit.seeds(cfg.seeds), which: configs }),
      key: ({ seed, which }) => `s${seed}-${which}`,
      run: ({ seed, which }) => runCell(cfg, seed, which, ctx.rng),
      describe: ({ seed, which }, r) => `seed ${seed} ${which}: ${kit.pct(r.test)}`,
    });
    const scalars: Scalars<Scalar> = { seeds: cfg.seeds };
    const rows: SeriesRow[] = [];
    for (const c of configs) {
      const res = kit.pick(done, { which: c });
      const a = accuracyRow(res);
      putMeanSem(scalars, `acc_${key(c)}`, { mean: a.test, sem: a.sem });
      rows.push({
        config: c,
        size_kb: kit.meanSem(res.map((r) => r.sizeBits)).mean / 8192,
        ...a,
        widths: c === 'learned' ? res.map((r) => `W${r.w1}/${r.w2} A${r.a0}/${r.a1}`).join(', ') : c,
      });
    }
    const acc = (c: Config) => kit.pick(done, { which: c }).map((r) => r.test);
    putMeanSem(scalars, 'gap_fp32_w4a8', kit.pairedGap(acc('W32A32'), acc('W4A8')));
    putMeanSem(scalars, 'gap_fp32_w2a2', kit.pairedGap(acc('W32A32'), acc('W2A2')));
    // The learned point against the uniform frontier of the same seed.
    const gaps = kit.seeds(cfg.seeds).map((seed) => {
      const uni = UNIFORM.map((c) => {
        const r = kit.pick(done, { seed, which: c })[0]!;
        return { size: r.sizeBits, acc: r.test };
      });
      const l = kit.pick(done, { seed, which: 'learned' })[0]!;
      return l.test - frontierAt(uni, l.sizeBits);
    });
    putMeanSem(scalars, 'learned_frontier_gap', kit.meanSem(gaps));
    const learned = kit.pick(done, { which: 'learned' });
    scalars.learned_size_kb = kit.meanSem(learned.map((r) => r.sizeBits)).mean / 8192;
    scalars.learned_w_bits_mean = kit.meanSem(learned.map((r) => (r.w1 + r.w2) / 2)).mean;
    return {
      scalars,
      series: { configs: rows, cells: done.map(({ cell, result }) => ({ ...cell, ...result })) },
      tables: [
        kit.tableFromRows(
          'precision',
          `Test accuracy by precision (mean ± s.e. over ${cfg.seeds} seeds, same initial weights per seed); weight size in kB`,
          rows,
          {
            config: 'precision',
            size_kb: 'weight size (kB)',
            test: 'test',
            sem: '±',
            train: 'train',
            widths: 'widths',
          },
        ),
      ],
    };
  },
});
