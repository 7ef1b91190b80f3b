import { defineExperiment, type RunContext, type Scalars, scalarKeys, z } from '@paperlab/core';
import type { ImageSplits } from '@paperlab/core/data';
import { claimsFor, fmt, mean, pairedGap, pct, points, table, withSem } from '@paperlab/core/kit';
import { conditionAndGapVerdict } from '../../claims/intervals.js';
import { countField, seedsField, trainingConfig } from '../../config/fields.js';
import { imageDataConfig, SMOKE_IMAGES } from '../../data/images.js';
import { ElmanRnn } from '../../nets/rnn.js';
import { trainClassifier } from '../../nets/zoo.js';
import {
  type AdjacencyKind,
  adjacency,
  latticeMask,
  magnitudeMaskOf,
  maskCount,
  meetIrreducible,
  randomMaskOf,
} from '../../prune/lattice.js';
import { runImageSeeds } from '../../train/cells.js';
import { accuracy } from '../../train/evaluate.js';

const config = z.strictObject({
  ...imageDataConfig,
  dataset: imageDataConfig.dataset.default('mnist'),
  trainSize: imageDataConfig.trainSize.default(10_000),
  hidden: countField(64, 4, 256).describe('hidden neurons of the Elman RNN (the poset’s elements)'),
  ...trainingConfig({ epochs: 20, batchSize: 100, lr: 2e-3 }),
  level: z
    .number()
    .gt(0)
    .max(1)
    .default(0.5)
    .describe('continuous adjacency: connections kept have |w| / max |w| at least this level'),
  seeds: seedsField(3),
});

/** Config of compression/sengupta2025. */
export type Sengupta2025Config = z.infer<typeof config>;

const KINDS = ['binary', 'continuous'] as const satisfies readonly AdjacencyKind[];
const MASKS = ['lattice', 'magnitude', 'random'] as const;
type Kind = (typeof KINDS)[number];
type Mask = (typeof MASKS)[number];
type Scalar =
  | 'acc_dense'
  | 'dense_acc_min'
  | 'seeds'
  | `acc_${Kind}_${Mask}`
  | `${'sparsity' | 'irreducible' | 'overlap'}_${Kind}`
  | `${'drop' | 'vs_magnitude' | 'magnitude_vs_random'}_${Kind}${'' | '_sem'}`;

const claim = claimsFor<Sengupta2025Config, Scalar>();
const threeSeeds = claim.atLeast('seeds', 3, 'seeds');
const denseTrained = claim.trained('dense_acc_min', 0.9, 'the dense RNN');

/** What one adjacency kind gives on one trained net: accuracies of the three masks at one sparsity. */
interface KindResult {
  [key: string]: number;
  lattice: number;
  magnitude: number;
  random: number;
  sparsity: number;
  irreducible: number;
  overlap: number;
}

/** Jaccard overlap of two 0/1 masks. */
function jaccard(a: Float32Array, b: Float32Array): number {
  let both = 0;
  let either = 0;
  for (let i = 0; i < a.length; i++) {
    both += a[i]! * b[i]!;
    either += Math.max(a[i]!, b[i]!);
  }
  return either ? both / either : 1;
}

/** Trains one dense RNN, then prunes its recurrent matrix with each adjacency kind and mask (one-shot, no retraining). */
async function runSeed(ctx: RunContext, cfg: Sengupta2025Config, data: ImageSplits, seed: number) {
  const net = ElmanRnn.build(
    data.train.shape,
    cfg.hidden,
    data.train.classes,
    ctx.rng.split(`init-s${seed}`),
  );
  try {
    await trainClassifier(net, data.train, {
      epochs: cfg.epochs,
      batchSize: cfg.batchSize,
      lr: cfg.lr,
      order: ctx.rng.split(`order-s${seed}`),
      signal: ctx.signal,
      clipNorm: 5,
    });
    const dense = accuracy(net, data.test);
    const w = net.recurrentWeights();
    const n = cfg.hidden;
    const out: Record<Kind, KindResult> = {} as Record<Kind, KindResult>;
    for (const kind of KINDS) {
      const lattice = latticeMask(w, n, kind, cfg.level);
      const kept = maskCount(lattice);
      const magnitude = magnitudeMaskOf(w, kept);
      const random = randomMaskOf(w.length, kept, ctx.rng.split(`random-${kind}-s${seed}`));
      const acc = (m: Float32Array) => {
        net.setRecurrentMask(m);
        return accuracy(net, data.test);
      };
      out[kind] = {
        lattice: acc(lattice),
        magnitude: acc(magnitude),
        random: acc(random),
        sparsity: 1 - kept / w.length,
        irreducible: mean(Array.from(meetIrreducible(adjacency(w, n, kind), n))),
        overlap: jaccard(lattice, magnitude),
      };
      net.setRecurrentMask(null);
    }
    return { dense, ...out };
  } finally {
    net.dispose();
  }
}

/** compression/sengupta2025: Lattice-Based Pruning in Recurrent Neural Networks via Poset Modeling. */
export const sengupta2025 = defineExperiment({
  id: 'compression/sengupta2025',
  paper: {
    title: 'Lattice-Based Pruning in Recurrent Neural Networks via Poset Modeling',
    authors: 'Rakesh Sengupta',
    year: 2025,
    url: 'https://arxiv.org/abs/2502.16525',
  },
  summary:
    'An Elman RNN (64 tanh neurons) reads 2×2-pooled MNIST images row by row. After training, its recurrent ' +
    'matrix is modelled as a poset of neurons (j ≤ k when j’s outgoing adjacency row is entrywise below k’s) and ' +
    'pruned one-shot, keeping connections between meet-irreducible neurons that the adjacency holds — binary ' +
    '(|w| above the mean) or continuous (|w|/max|w| ≥ 0.5) — against magnitude and random pruning of the same ' +
    'number of connections. The lattice rule is a reconstruction from the abstract (the paper’s exact rule is not ' +
    'public in machine-readable form).',
  config,
  presets: {
    smoke: { ...SMOKE_IMAGES, hidden: 12, epochs: 2, batchSize: 50, seeds: 2 },
    paper: {},
  },
  scalars: scalarKeys<Scalar>(),
  claims: [
    claim.beats({
      id: 'moderate-keeps-accuracy',
      kind: 'paper',
      statement: 'Moderate (binary-adjacency) lattice pruning keeps the RNN’s accuracy',
      source: {
        quote: 'Moderate pruning maintains accuracy above 98%',
        where: 'abstract; §V (MNIST, LSTM)',
        value: '> 98% MNIST accuracy at about 50% sparsity (binary adjacency)',
        restated:
          'our RNN is smaller, so relative: binary-lattice-pruned − dense test accuracy > −1 point by 2 s.e. (paired over seeds)',
      },
      requires: [threeSeeds, denseTrained],
      gap: 'drop_binary',
      sem: 'drop_binary_sem',
      margin: -0.01,
      a: 'binary lattice',
      b: 'dense',
      what: 'test accuracy',
      format: points,
      detail: (s) =>
        `${pct(s.acc_dense)} → ${pct(s.acc_binary_lattice)} at sparsity ${pct(s.sparsity_binary, 0)}`,
    }),
    claim.custom({
      id: 'aggressive-trades-accuracy',
      kind: 'paper',
      statement:
        'Aggressive (continuous-adjacency) lattice pruning reaches higher sparsity with only a modest accuracy decline',
      source: {
        quote: 'aggressive pruning achieves higher sparsity with only a modest performance decline',
        where: 'abstract; §V',
        restated:
          'continuous sparsity ≥ binary sparsity + 0.2, and continuous-lattice − dense accuracy > −10 points by 2 s.e.',
      },
      requires: [threeSeeds, denseTrained],
      rule: {
        text: 'sparsity(continuous) − sparsity(binary) ≥ 0.2 and accuracy drop > −10 points by 2 s.e.',
        params: { minExtraSparsity: 0.2, margin: -0.1, k: 2 },
      },
      check: (s) => {
        const sparser = s.sparsity_continuous - s.sparsity_binary >= 0.2;
        return {
          verdict: conditionAndGapVerdict(sparser, s.drop_continuous, s.drop_continuous_sem, -0.1),
          measured: `sparsity ${pct(s.sparsity_binary, 0)} → ${pct(s.sparsity_continuous, 0)}; accuracy change ${points(s.drop_continuous, s.drop_continuous_sem)}`,
        };
      },
    }),
    ...KINDS.map((kind) =>
      claim.beats({
        id: `lattice-beats-magnitude-${kind}`,
        kind: 'paper',
        statement: `Lattice pruning preserves accuracy better than magnitude pruning at equal sparsity (${kind} adjacency)`,
        source: {
          quote:
            'Unlike conventional magnitude-based pruning, our method leverages the structural organization of RNNs, resulting in more effective preservation of functional connectivity',
          where: 'abstract',
          restated: `${kind}-lattice − magnitude accuracy (same number of recurrent connections) > 0 by 2 s.e.`,
        },
        requires: [threeSeeds, denseTrained],
        gap: `vs_magnitude_${kind}`,
        sem: `vs_magnitude_${kind}_sem`,
        a: 'lattice',
        b: 'magnitude',
        what: 'test accuracy',
        format: points,
        detail: (s) =>
          `masks overlap ${fmt(s[`overlap_${kind}`])}; ${pct(s[`irreducible_${kind}`], 0)} of neurons meet-irreducible`,
      }),
    ),
    claim.beats({
      id: 'magnitude-beats-random',
      kind: 'control',
      statement:
        'Control: at the continuous lattice’s sparsity the pruning criterion matters — magnitude beats random pruning',
      requires: [threeSeeds, denseTrained],
      gap: 'magnitude_vs_random_continuous',
      sem: 'magnitude_vs_random_continuous_sem',
      a: 'magnitude',
      b: 'random',
      what: 'test accuracy',
      format: points,
    }),
    claim.inRange({
      id: 'dense-trains',
      kind: 'control',
      statement: 'Control: the dense RNN reaches 90% test accuracy in every seed',
      value: 'dense_acc_min',
      range: [0.9, 1],
      label: 'lowest dense test accuracy',
    }),
  ],
  datasets: (cfg) => [cfg.dataset],
  async run(ctx, cfg) {
    const done = await runImageSeeds(
      ctx,
      cfg,
      (data, seed) => runSeed(ctx, cfg, data, seed),
      (r) =>
        `dense ${pct(r.dense)}, binary lattice ${pct(r.binary.lattice)}, continuous ${pct(r.continuous.lattice)}`,
    );
    const res = done.map((d) => d.result);
    const dense = res.map((r) => r.dense);
    const scalars: Scalars<Scalar> = {
      acc_dense: mean(dense),
      dense_acc_min: Math.min(...dense),
      seeds: cfg.seeds,
    };
    for (const kind of KINDS) {
      const of = (k: keyof KindResult) => res.map((r) => r[kind][k]!);
      for (const m of MASKS) scalars[`acc_${kind}_${m}`] = mean(of(m));
      scalars[`sparsity_${kind}`] = mean(of('sparsity'));
      scalars[`irreducible_${kind}`] = mean(of('irreducible'));
      scalars[`overlap_${kind}`] = mean(of('overlap'));
      const gaps = {
        drop: pairedGap(of('lattice'), dense),
        vs_magnitude: pairedGap(of('lattice'), of('magnitude')),
        magnitude_vs_random: pairedGap(of('magnitude'), of('random')),
      };
      for (const [name, g] of Object.entries(gaps)) Object.assign(scalars, withSem(`${name}_${kind}`, g));
    }
    const rows = done.flatMap(({ cell, result }) =>
      KINDS.flatMap((kind) =>
        MASKS.map((mask) => ({ seed: cell.seed, kind, mask, acc: result[kind][mask], dense: result.dense })),
      ),
    );
    return {
      scalars,
      series: { cells: rows },
      tables: [
        table(
          'pruning',
          'Test accuracy after one-shot pruning of the recurrent matrix (mean over seeds; same connection count per row)',
          [
            'adjacency',
            'sparsity',
            'meet-irreducible',
            'lattice',
            'magnitude',
            'random',
            'lattice∩magnitude',
          ],
          KINDS.map((kind) => [
            kind,
            pct(scalars[`sparsity_${kind}`], 0),
            pct(scalars[`irreducible_${kind}`], 0),
            pct(scalars[`acc_${kind}_lattice`]),
            pct(scalars[`acc_${kind}_magnitude`]),
            pct(scalars[`acc_${kind}_random`]),
            fmt(scalars[`overlap_${kind}`]),
          ]),
        ),
      ],
    };
  },
});
