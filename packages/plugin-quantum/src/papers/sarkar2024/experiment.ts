import type { Scalars, SeriesRow } from '@paperlab/core';
import { defineExperiment, scalarKeys, throwIfAborted, z } from '@paperlab/core';
import { loadIdxImages } from '@paperlab/core/data';
import { claimsFor, fmt, grid, pct, points, runCells, seeds, table, verdictOf } from '@paperlab/core/kit';
import { classicalTwinProbabilities, sarkarCircuit } from '../../circuits/cascade.js';
import { angleInterval, int, num, positive } from '../../config/fields.js';
import { circuitProbabilityFeatures } from '../../features/circuitFeatures.js';
import {
  applyScaler,
  decodeFloat32,
  encodeFloat32,
  type FeatureSplits,
  fitMinMax,
  fitPca,
  mapSplits,
  maxAbsDiff,
  pcaTransform,
  standardizeSplits,
} from '../../features/features.js';
import { fitAutoencoder } from '../../models/autoencoder.js';
import { intervalRule, seedSpreadRevision } from '../../models/claims.js';
import { fitAndScoreRows } from '../../models/classifier.js';
import { trainingLossPlot } from '../../models/plots.js';
import { accuracySummary, byModel } from '../../models/seeds.js';

const config = z.strictObject({
  trainSize: int(10_000, [100, 60_000], 'MNIST training images used'),
  testSize: int(2_000, [50, 10_000], 'MNIST test images used'),
  qubits: int(5, [2, 10], 'qubits = principal components of the latent code'),
  autoencoder: z
    .strictObject({
      hidden: int(256, [8, 4096], 'hidden width of encoder and decoder'),
      latent: int(64, [4, 784], 'latent dimension (paper: 64)'),
      epochs: int(10, [1, 500]),
      batchSize: int(128, [8, 4096]),
      lr: positive(1e-3, 1),
    })
    .prefault({}),
  angleRange: angleInterval()
    .default([0, Math.PI])
    .describe(
      'each principal component is min-max scaled onto this RY angle range (paper: angles ∝ features)',
    ),
  controlRange: angleInterval()
    .nullable()
    .default([-Math.PI / 2, Math.PI / 2])
    .describe('a second hybrid with this angle range (sin is one-to-one on [−π/2, π/2]); null to skip'),
  shots: int(
    0,
    [0, 1_000_000],
    '0: exact probabilities; otherwise estimate the 32 probabilities from this many seeded shots',
  ),
  classifier: z
    .strictObject({
      hidden: z.array(z.number().int().min(1).max(4096)).default([64, 32]),
      dropout: num(0.1, [0, 0.9]),
      epochs: int(20, [1, 500]),
      batchSize: int(64, [8, 4096]),
      lr: positive(2e-3, 1),
    })
    .prefault({}),
  seeds: int(3, [1, 20], 'classifier seeds per feature set'),
  margin: num(0.03, [0, 1], 'accuracy gap (fraction) that counts as "clearly lower" for the paper’s claim'),
});

/** Config of quantum/sarkar2024. */
export type Sarkar2024Config = z.infer<typeof config>;

const MODELS = {
  hybrid: 'hybrid: 2^n circuit probabilities → NN',
  twin: 'exact classical twin: Π qᵢ formula → NN',
  pca: 'classical: n principal components → NN',
  latent: 'classical: 64-d autoencoder latent → NN',
  control: 'hybrid, one-to-one angle range → NN',
} as const;
type ModelKey = keyof typeof MODELS;

type Scalar =
  | 'train_size'
  | 'test_size'
  | 'seeds'
  | 'qubits'
  | 'pca_explained_variance'
  | `ae_recon_mse_${'train' | 'test'}`
  | 'twin_feature_max_err'
  | `${'acc' | 'train_acc'}_${ModelKey}`
  | `acc_${ModelKey}_sem`;

const claim = claimsFor<Sarkar2024Config, Scalar>();

/**
 * The paper's ordering: the hybrid clearly below the classical NN on the same features — first rule: gap ≥ margin
 * and > 2 s.e. (hypot of the two accuracies' s.e.); revised: gap − 2 s.e. ≥ margin, straddle → inconclusive.
 */
function belowClassical(interval: boolean) {
  const words = `hybrid below the classical NN on the same features by ≥ margin ${interval ? 'with 2 s.e. to spare' : 'and by > 2 s.e.'} (hypot of the two accuracies’ s.e.${interval ? '; straddle → inconclusive' : ''})`;
  return claim.custom({
    id: 'hybrid-below-classical',
    kind: 'paper',
    statement:
      'The hybrid model reaches a clearly lower test accuracy than a classical model on the same compressed features',
    source: {
      quote:
        'the hybrid quantum-classical model reaches about 75% test accuracy, below a classical network on the compressed data (about 98%)',
      where: 'results (hybrid vs classical test accuracy)',
      value: '≈75% vs ≈98%',
      restated:
        'the ordering, against a classical NN on the same n principal components (the 64-d latent baseline is reported beside it)',
    },
    requires: [claim.atLeast('train_size', 1000, 'training digits'), claim.atLeast('seeds', 2, 'seeds')],
    rule: { text: words, params: { k: 2, margin: 'config.margin', minTrainSize: 1000, minSeeds: 2 } },
    check: (s, cfg) => {
      const gap = s.acc_pca - s.acc_hybrid;
      const se = Math.hypot(s.acc_pca_sem, s.acc_hybrid_sem);
      const first = verdictOf(gap >= cfg.margin && gap > 2 * se);
      return {
        verdict: interval ? intervalRule('above', gap, se, cfg.margin, 2) : first,
        measured: `hybrid ${pct(s.acc_hybrid)} vs classical-${cfg.qubits} ${pct(s.acc_pca)} (gap ${points(gap, se)}; margin ${points(cfg.margin)}) and classical-64 ${pct(s.acc_latent)}`,
      };
    },
  });
}

/** quantum/sarkar2024: quantum transfer learning for MNIST (Sarkar 2024). */
export const sarkar2024 = defineExperiment({
  id: 'quantum/sarkar2024',
  paper: {
    title: 'Quantum Transfer Learning for MNIST Classification Using a Hybrid Quantum-Classical Approach',
    authors: 'Soumyadip Sarkar',
    year: 2024,
    url: 'https://arxiv.org/abs/2408.03351',
  },
  summary:
    'An autoencoder compresses MNIST digits 784 → 64; PCA keeps 5 components, which become RY angles on 5 ' +
    'qubits followed by Hadamards and a CNOT cascade; the 32 measured probabilities feed a small NN. The run ' +
    'compares, with identical classifiers and seeds, the hybrid against NNs on the same 5 components and on the ' +
    '64-d latent, and against the exact classical twin of the circuit (a product of five 2-vectors, reordered) ' +
    'that must match it; a second hybrid with a one-to-one angle range tests where the gap comes from.',
  config,
  presets: {
    smoke: {
      trainSize: 300,
      testSize: 100,
      autoencoder: { hidden: 32, latent: 16, epochs: 1, batchSize: 64 },
      classifier: { hidden: [16], dropout: 0, epochs: 2, batchSize: 64 },
      seeds: 1,
    },
    ci: {
      trainSize: 1500,
      testSize: 500,
      autoencoder: { hidden: 128, epochs: 3 },
      classifier: { epochs: 8 },
      seeds: 2,
    },
    paper: {},
  },
  scalars: scalarKeys<Scalar>(),
  claims: [
    seedSpreadRevision(belowClassical),
    claim.custom({
      id: 'classical-twin-matches',
      kind: 'control',
      statement:
        'The circuit computes nothing a 5-factor classical formula does not: the exact classical twin gives the same features and the same accuracy',
      rule: {
        text: 'features equal to 1e-5 and accuracies within 0.5 points (exact probabilities, shots = 0)',
        params: { maxFeatureError: 1e-5, maxAccuracyGap: 0.005 },
      },
      check: (s) => ({
        verdict: verdictOf(s.twin_feature_max_err <= 1e-5 && Math.abs(s.acc_twin - s.acc_hybrid) <= 0.005),
        measured: `max |Δ probability| ${s.twin_feature_max_err.toExponential(2)}; accuracy twin ${pct(s.acc_twin, 2)} vs hybrid ${pct(s.acc_hybrid, 2)}`,
      }),
    }),
    claim.custom({
      id: 'gap-from-encoding',
      kind: 'control',
      statement:
        'Control (this reproduction): the gap comes from the angle encoding — with a one-to-one range the same circuit closes at least half of it',
      requires: [
        (_s, _cfg, out) => (out.raw.acc_control === undefined ? 'control range disabled' : undefined),
        claim.atLeast('train_size', 1000, 'training digits'),
        (s, cfg) =>
          s.acc_pca - s.acc_hybrid < cfg.margin
            ? `no clear gap to explain (< ${fmt(cfg.margin)})`
            : undefined,
      ],
      rule: {
        text: 'hybrid with angles in the control range recovers ≥ 50% of the gap to the classical NN on the same features',
        params: { minRecovered: 0.5, minTrainSize: 1000, minGap: 'config.margin' },
      },
      check: (s, cfg) => {
        const recovered = (s.acc_control - s.acc_hybrid) / Math.max(s.acc_pca - s.acc_hybrid, 1e-9);
        return {
          verdict: verdictOf(recovered >= 0.5),
          measured: `control hybrid ${pct(s.acc_control)} (range [${cfg.controlRange?.map((v) => v.toFixed(2)).join(', ')}]) vs hybrid ${pct(s.acc_hybrid)} and classical ${pct(s.acc_pca)}: ${(100 * recovered).toFixed(0)}% of the gap recovered`,
        };
      },
    }),
  ],
  datasets: () => ['mnist'],
  async run(ctx, cfg) {
    const limits = { trainLimit: cfg.trainSize, testLimit: cfg.testSize };
    const { train, test } = await loadIdxImages(ctx.data, 'mnist', limits);
    const labels = { train: train.y, test: test.y };
    const n = cfg.qubits;
    const latentDim = cfg.autoencoder.latent;
    if (n > latentDim)
      throw new RangeError(`qubits (${n}) cannot exceed the latent dimension (${latentDim})`);

    const encoded = await ctx.checkpoint.cached('autoencoder-latent', async () => {
      const e = await fitAutoencoder(train.x, test.x, {
        ...cfg.autoencoder,
        dim: 784,
        rng: ctx.rng.split('autoencoder'),
        name: `sarkar-${ctx.runId}`,
        signal: ctx.signal,
        onEpoch: (row) => ctx.log.scalars({ ae_loss: row.loss as number }, row.epoch as number),
      });
      return {
        train: encodeFloat32(e.train),
        test: encodeFloat32(e.test),
        reconTrain: e.reconTrain,
        reconTest: e.reconTest,
      };
    });
    throwIfAborted(ctx.signal);
    const latent = mapSplits(encoded, latentDim, decodeFloat32);
    const pca = fitPca(latent.train, latentDim, n);
    const pc = mapSplits(latent, n, (x) => pcaTransform(pca, x));
    const anglesIn = (range: [number, number]) => {
      const sc = fitMinMax(pc.train, n, range[0], range[1]);
      return mapSplits(pc, n, (x) => applyScaler(sc, x));
    };
    const circuit = sarkarCircuit(n).compile();
    const shotRng = ctx.rng.split('shots');
    const probs = (a: FeatureSplits, tag: string) =>
      mapSplits(a, 2 ** n, (x, split) =>
        circuitProbabilityFeatures(circuit, x, cfg.shots, shotRng.split(`${tag}${split}`)),
      );
    const angles = anglesIn(cfg.angleRange);
    const sets: Partial<Record<ModelKey, FeatureSplits>> & Record<'hybrid' | 'twin', FeatureSplits> = {
      hybrid: probs(angles, ''),
      twin: mapSplits(angles, 2 ** n, (x) => classicalTwinProbabilities(x, n)),
      pca: angles,
      latent,
    };
    if (cfg.controlRange) sets.control = probs(anglesIn(cfg.controlRange), 'control-');
    const { hybrid: q, twin: t } = sets;
    const twinErr = Math.max(maxAbsDiff(q.train, t.train), maxAbsDiff(q.test, t.test));
    const keys = Object.keys(sets) as ModelKey[];
    const curves: SeriesRow[] = [];
    const done = await runCells(ctx, {
      label: 'classifiers',
      cells: grid({ model: keys, seed: seeds(cfg.seeds) }),
      key: ({ model, seed }) => `clf-${model}-s${seed}`,
      // Init and batch order depend on the seed only, so hybrid and twin train identically.
      run: ({ model, seed }) => {
        // Every feature set is standardised with its own training statistics (same treatment for all).
        const { train: tr, test: te, dim } = sets[model]!;
        return fitAndScoreRows(standardizeSplits(tr, te, dim), labels, {
          ...cfg.classifier,
          init: ctx.rng.split(`clf-init-${seed}`),
          name: `sarkar-${ctx.runId}-${model}-${seed}`,
          rng: ctx.rng.split(`clf-order-${seed}`),
          signal: ctx.signal,
          onEpoch: (row) => {
            if (seed === 0) curves.push({ ...row, model: MODELS[model] });
          },
        });
      },
      describe: ({ model, seed }, r) => `${model} seed ${seed}: ${pct(r.testAcc)}`,
      log: ({ model, seed }, r) => ({ scalars: { [`acc_${model}`]: r.testAcc }, step: seed }),
    });

    const scalars: Scalars<Scalar> = {
      train_size: labels.train.length,
      test_size: labels.test.length,
      seeds: cfg.seeds,
      qubits: n,
      pca_explained_variance: pca.explained,
      ae_recon_mse_train: encoded.reconTrain,
      ae_recon_mse_test: encoded.reconTest,
      twin_feature_max_err: twinErr,
    };
    const names = Object.fromEntries(keys.map((k) => [k, MODELS[k]])) as Record<ModelKey, string>;
    const rows = accuracySummary(byModel(done, keys), names, scalars, { params: false });
    return {
      scalars,
      series: { curves },
      tables: [
        table(
          'accuracy',
          `Test accuracy on ${labels.test.length} MNIST digits (${cfg.seeds} classifier seeds)`,
          ['model', 'input dim', 'test accuracy', 's.e.', 'train accuracy'],
          rows.map(([label, ...rest], i) => [label!, sets[keys[i]!]!.dim, ...rest]),
        ),
      ],
      plots: [trainingLossPlot('sarkar-training-loss', 'Classifier training loss (seed 0)')],
    };
  },
});
