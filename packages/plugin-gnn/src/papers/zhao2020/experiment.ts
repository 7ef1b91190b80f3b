import { defineExperiment, type Rng, type Scalars, type SeriesRow, scalarKeys, z } from '@paperlab/core';
import * as kit from '@paperlab/core/kit';
import { barVerdict, putMeanSem } from '@paperlab/core/kit';
import { adam, initTensor, ownedVariable } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { nodeTask, nodeTaskConfig } from '../../data/sbm.js';
import { accuracyRow } from '../../experiments/seedSummary.js';
import { gcnAdjacency } from '../../graph/graph.js';
import { graphTensors } from '../../graph/graphTensors.js';
import { fakeQuantize, quantizeValues } from '../../ops/quantize.js';
import { type SparseTensors, sparseTensors, spmm } from '../../ops/spmm.js';
import { gradientStep } from '../../train/gradientStep.js';
import { maskedCrossEntropy, predictClasses, rowMask, splitAccuracy } from '../../train/metrics.js';

/** Bit widths of the four quantised tensors of a 2-layer GCN: weights W1, W2, activations A0 (input), A1. */
interface Bits {
  w1: number;
  w2: number;
  a0: number;
  a1: number;
}

const UNIFORM = ['W32A32', 'W16A16', 'W8A8', 'W4A8', 'W4A4', 'W2A8', 'W2A2'] as const;
type Uniform = (typeof UNIFORM)[number];
type Config = Uniform | 'learned';
const CHOICES = [2, 4, 8, 16] as const;

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

/**
 * A 2-layer GCN with fake-quantised weights, activations and adjacency: `Q(Â, A)·(Q(X, A0)·Q(W1, W1b))`, ReLU,
 * then the same with A1 and W2. `mix` replaces a fixed width by a softmax-weighted sum of quantisers (search).
 */
class QuantGcn {
  readonly w1: tf.Variable;
  readonly b1: tf.Variable;
  readonly w2: tf.Variable;
  readonly b2: tf.Variable;
  private readonly adj = new Map<number, SparseTensors>();

  constructor(
    rng: Rng,
    cfg: Zhao2020Config,
    private readonly csr: ReturnType<typeof gcnAdjacency>,
  ) {
    const { featureDim: f, hidden: h, classes: c } = cfg;
    this.w1 = ownedVariable(initTensor([f, h], 'glorot', rng.split('w1'), f, h));
    this.b1 = ownedVariable(tf.zeros([h]));
    this.w2 = ownedVariable(initTensor([h, c], 'glorot', rng.split('w2'), h, c));
    this.b2 = ownedVariable(tf.zeros([c]));
  }

  /** Â with its values quantised to `bits` (cached). */
  adjacency(bits: number): SparseTensors {
    let a = this.adj.get(bits);
    if (!a) {
      a = sparseTensors({ ...this.csr, values: quantizeValues(this.csr.values, bits) });
      this.adj.set(bits, a);
    }
    return a;
  }

  forward(x: tf.Tensor2D, q: { w1: Q; w2: Q; a0: Q; a1: Q }, adjBits: [number, number]): tf.Tensor2D {
    return tf.tidy(() => {
      const z1 = tf.add(
        spmm(this.adjacency(adjBits[0]), tf.matMul(q.a0(x), q.w1(this.w1 as tf.Tensor2D))),
        this.b1,
      );
      const h1 = tf.relu(z1) as tf.Tensor2D;
      return tf.add(
        spmm(this.adjacency(adjBits[1]), tf.matMul(q.a1(h1), q.w2(this.w2 as tf.Tensor2D))),
        this.b2,
      ) as tf.Tensor2D;
    });
  }

  variables(): tf.Variable[] {
    return [this.w1, this.b1, this.w2, this.b2];
  }

  /** Weight storage in bits for the given widths (biases in float32). */
  sizeBits(b: Bits): number {
    return b.w1 * this.w1.size + b.w2 * this.w2.size + 32 * (this.b1.size + this.b2.size);
  }

  dispose(): void {
    tf.dispose(this.variables());
    for (const a of this.adj.values()) a.dispose();
  }
}

type Q = (x: tf.Tensor2D) => tf.Tensor2D;
const fixed =
  (bits: number): Q =>
  (x) =>
    fakeQuantize(x, bits) as tf.Tensor2D;

/** Trains the model with fixed widths from its current weights; returns train/test accuracy. */
function trainFixed(
  model: QuantGcn,
  b: Bits,
  x: tf.Tensor2D,
  labels: tf.Tensor1D,
  mask: tf.Tensor1D,
  cfg: Zhao2020Config,
) {
  const q = { w1: fixed(b.w1), w2: fixed(b.w2), a0: fixed(b.a0), a1: fixed(b.a1) };
  const vars = model.variables();
  const opt = adam(cfg.lr);
  for (let e = 0; e < cfg.epochs; e++)
    gradientStep(vars, opt, () => maskedCrossEntropy(model.forward(x, q, [b.a0, b.a1]), labels, mask));
  opt.dispose();
  return predictClasses(() => model.forward(x, q, [b.a0, b.a1]));
}

/**
 * LPGNAS-style differentiable search of the four widths: each quantiser is a softmax(α)-weighted sum over
 * {2, 4, 8, 16} bits, trained jointly with the weights on cross-entropy + λ·E[weight size]/size(float32);
 * the arg-max width of each tensor is returned.
 */
function searchBits(
  model: QuantGcn,
  x: tf.Tensor2D,
  labels: tf.Tensor1D,
  mask: tf.Tensor1D,
  cfg: Zhao2020Config,
): Bits {
  const names = ['w1', 'w2', 'a0', 'a1'] as const;
  const alpha = Object.fromEntries(
    names.map((n) => [n, ownedVariable(tf.zeros([CHOICES.length]))]),
  ) as Record<(typeof names)[number], tf.Variable>;
  const mixed =
    (n: (typeof names)[number]): Q =>
    (t) =>
      tf.tidy(() => {
        const p = tf.softmax(alpha[n]);
        return tf.addN(CHOICES.map((b, i) => tf.mul(fakeQuantize(t, b), tf.gather(p, i)))) as tf.Tensor2D;
      });
  const q = { w1: mixed('w1'), w2: mixed('w2'), a0: mixed('a0'), a1: mixed('a1') };
  const full = 32 * (model.w1.size + model.w2.size);
  const expectedBits = (n: 'w1' | 'w2') =>
    tf.sum(tf.mul(tf.softmax(alpha[n]), tf.tensor1d(CHOICES as unknown as number[])));
  const vars = [...model.variables(), ...names.map((n) => alpha[n])];
  const opt = adam(cfg.lr);
  for (let e = 0; e < cfg.searchEpochs; e++)
    gradientStep(vars, opt, () =>
      tf.tidy(() => {
        const ce = maskedCrossEntropy(model.forward(x, q, [8, 8]), labels, mask);
        const size = tf.div(
          tf.add(tf.mul(expectedBits('w1'), model.w1.size), tf.mul(expectedBits('w2'), model.w2.size)),
          full,
        );
        return tf.add(ce, tf.mul(size, cfg.lambda)) as tf.Scalar;
      }),
    );
  opt.dispose();
  const pickBits = (n: (typeof names)[number]) => CHOICES[tf.tidy(() => tf.argMax(alpha[n]).dataSync()[0]!)]!;
  const out = { w1: pickBits('w1'), w2: pickBits('w2'), a0: pickBits('a0'), a1: pickBits('a1') };
  tf.dispose(Object.values(alpha));
  return out;
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

/** Piecewise-linear interpolation of the uniform frontier's accuracy at `log2(size)`. */
function frontierAt(points: Array<{ size: number; acc: number }>, size: number): number {
  const pts = points
    .slice()
    .sort((a, b) => a.size - b.size)
    .reduce<Array<{ size: number; acc: number }>>((out, p) => {
      // Best accuracy at each size (several widths of activations share a weight size).
      const last = out[out.length - 1];
      if (last && last.size === p.size) last.acc = Math.max(last.acc, p.acc);
      else out.push({ ...p });
      return out;
    }, []);
  const x = Math.log2(size);
  if (x <= Math.log2(pts[0]!.size)) return pts[0]!.acc;
  for (let i = 1; i < pts.length; i++) {
    const x0 = Math.log2(pts[i - 1]!.size);
    const x1 = Math.log2(pts[i]!.size);
    if (x <= x1) return pts[i - 1]!.acc + ((x - x0) / (x1 - x0)) * (pts[i]!.acc - pts[i - 1]!.acc);
  }
  return pts[pts.length - 1]!.acc;
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
