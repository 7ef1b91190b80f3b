import { defineExperiment, type Scalars, scalarKeys, z } from '@paperlab/core';
import type { ImageSplits } from '@paperlab/core/data';
import { claimsFor, fmt, gapScalars, mean, pct, points, table, type WithSem } from '@paperlab/core/kit';
import { countField, epochsField, seedsField, smallCnnConfig, trainingConfig } from '../../config/fields.js';
import { imageDataConfig, loadImageData } from '../../data/images.js';
import { runSeeds } from '../../train/cells.js';
import { type Cell, CRITERIA, type Criterion, imbalancedSubset, runSeed } from './cells.js';

const config = z.strictObject({
  ...imageDataConfig,
  trainSize: imageDataConfig.trainSize
    .default(20_000)
    .describe('training images the imbalanced subset is drawn from'),
  largest: countField(800, 2, 60_000).describe('training images of the most frequent class'),
  imbalance: z
    .number()
    .min(1)
    .max(10_000)
    .default(100)
    .describe('ratio of the most to the least frequent class (exponential profile)'),
  ...smallCnnConfig({ filters: [16, 32], hidden: 64 }),
  ...trainingConfig({ epochs: 12, batchSize: 64, lr: 2e-3 }),
  fineTuneEpochs: epochsField(4, 0),
  pruneRatio: z
    .number()
    .min(0.05)
    .max(0.9)
    .default(0.5)
    .describe('fraction of each conv layer’s filters removed (every criterion)'),
  rankBatch: countField(128, 8, 10_000).describe('training images the data-dependent criteria see'),
  seeds: seedsField(5),
});

/** Config of compression/homayounfar2023. */
export type Homayounfar2023Config = z.infer<typeof config>;

type Scalar =
  | 'bacc_base'
  | 'f1_base'
  | `${'bacc' | 'f1' | 'bacc_raw'}_${Criterion}`
  | WithSem<`gain_${'l1' | 'hrank'}`>
  | WithSem<'beta_vs_base'>
  | 'flops_reduction'
  | 'raw_drop_max'
  | 'minority_share'
  | 'seeds';

const claim = claimsFor<Homayounfar2023Config, Scalar>();
const fiveSeeds = claim.atLeast('seeds', 5, 'seeds');
const baseTrained = claim.trained('bacc_base', 0.5, 'the unpruned CNN (balanced accuracy)');

/** compression/homayounfar2023: Beta-Rank, a filter pruning method for imbalanced image classification. */
export const homayounfar2023 = defineExperiment({
  id: 'compression/homayounfar2023',
  paper: {
    title: 'Beta-Rank: A Robust Convolutional Filter Pruning Method For Imbalanced Medical Image Analysis',
    authors: 'Morteza Homayounfar, Mohamad Koohi-Moghadam, Reza Rawassizadeh, Varut Vardhanabhuti',
    year: 2023,
    url: 'https://arxiv.org/abs/2304.07461',
  },
  summary:
    'A small CNN is trained on a class-imbalanced subset of 2×2-pooled Fashion-MNIST (the most frequent class has ' +
    '100× the images of the rarest, exponential profile) and half the filters of each conv layer are removed — ranked ' +
    'by β-rank (filter value × how much the filter changes the data), by L1 norm, or by HRank (feature-map rank) — ' +
    'then fine-tuned identically. Balanced accuracy and macro-F1 on the balanced test split are compared at equal ' +
    'FLOPs over paired seeds.',
  config,
  presets: {
    smoke: {
      trainSize: 2000,
      testSize: 200,
      pool: 4,
      largest: 40,
      filters: [4, 6],
      hidden: 8,
      epochs: 2,
      fineTuneEpochs: 1,
      rankBatch: 16,
      seeds: 2,
    },
    paper: {},
  },
  scalars: scalarKeys<Scalar>(),
  claims: [
    claim.beats({
      id: 'beta-beats-l1',
      kind: 'paper',
      statement:
        'On imbalanced data, β-rank pruning keeps more balanced accuracy than L1-norm pruning at equal FLOPs',
      source: {
        quote:
          'we demonstrated that our model performed significantly better than other methods for imbalanced medical datasets',
        where: 'abstract; Tables 1–2 (same training conditions, only the ranking differs)',
        restated: 'balanced accuracy on a 100:1 imbalanced Fashion-MNIST, gap β-rank − L1 over paired seeds',
      },
      requires: [fiveSeeds, baseTrained],
      gap: 'gain_l1',
      sem: 'gain_l1_sem',
      a: 'β-rank',
      b: 'L1',
      what: 'balanced accuracy',
      format: points,
      detail: (s) =>
        `${pct(s.bacc_beta)} vs ${pct(s.bacc_l1)}; macro-F1 ${fmt(s.f1_beta)} vs ${fmt(s.f1_l1)}`,
    }),
    claim.beats({
      id: 'beta-beats-hrank',
      kind: 'paper',
      statement:
        'On imbalanced data, β-rank pruning keeps more balanced accuracy than HRank (feature-map rank) at equal FLOPs',
      source: {
        quote:
          'three methods are compared with the same training conditions except for the ranking values of each method',
        where: 'abstract; Tables 1–2 (β-rank vs HRank vs L1)',
        restated: 'balanced accuracy gap β-rank − HRank over paired seeds',
      },
      requires: [fiveSeeds, baseTrained],
      gap: 'gain_hrank',
      sem: 'gain_hrank_sem',
      a: 'β-rank',
      b: 'HRank',
      what: 'balanced accuracy',
      format: points,
      detail: (s) =>
        `${pct(s.bacc_beta)} vs ${pct(s.bacc_hrank)}; macro-F1 ${fmt(s.f1_beta)} vs ${fmt(s.f1_hrank)}`,
    }),
    claim.beats({
      id: 'beta-keeps-baseline',
      kind: 'paper',
      statement:
        'β-rank removes about half the FLOPs of the CNN while keeping its balanced accuracy (within a point)',
      source: {
        quote:
          'when we removed up to 58% of FLOPs for the IDRID dataset and up to 45% for the ISIC dataset, our model was able to yield an equivalent (or even superior) result to the baseline model',
        where: 'abstract',
        value: '58% (IDRID) and 45% (ISIC) FLOPs removed at equal accuracy',
        restated: 'β-rank − unpruned balanced accuracy > −1 point by 2 s.e. at the measured FLOPs reduction',
      },
      requires: [fiveSeeds, baseTrained],
      gap: 'beta_vs_base',
      sem: 'beta_vs_base_sem',
      margin: -0.01,
      a: 'β-rank pruned',
      b: 'unpruned',
      what: 'balanced accuracy',
      format: points,
      detail: (s) => `FLOPs −${pct(s.flops_reduction, 0)}`,
    }),
    claim.inRange({
      id: 'data-is-imbalanced',
      kind: 'control',
      statement:
        'Control: the training set is really imbalanced — the five rarest classes hold under 10% of it',
      value: 'minority_share',
      range: [0, 0.1],
      label: 'share of the 5 rarest classes',
    }),
    claim.inRange({
      id: 'pruning-bites',
      kind: 'control',
      statement:
        'Control: before fine-tuning, pruning costs ≥ 2 points of balanced accuracy for some criterion (the ranking matters)',
      value: 'raw_drop_max',
      range: [0.02, 1],
      label: 'largest drop before fine-tuning',
    }),
  ],
  datasets: (cfg) => [cfg.dataset],
  async run(ctx, cfg) {
    const data: ImageSplits = await loadImageData(ctx.data, cfg);
    const train = imbalancedSubset(data.train, cfg.largest, cfg.imbalance);
    const done = await runSeeds(
      ctx,
      cfg.seeds,
      (seed) => runSeed(ctx, cfg, train, data.test, seed),
      (r) =>
        `β ${pct(r.byCriterion.beta.bacc)}, L1 ${pct(r.byCriterion.l1.bacc)}, HRank ${pct(r.byCriterion.hrank.bacc)}`,
    );
    const res = done.map((d) => d.result);
    const of = (c: Criterion, k: keyof Cell) => res.map((r) => r.byCriterion[c][k]);
    const counts = new Array<number>(train.classes).fill(0);
    for (const y of train.y) counts[y]!++;
    const scalars: Scalars<Scalar> = {
      bacc_base: mean(res.map((r) => r.base.bacc)),
      f1_base: mean(res.map((r) => r.base.f1)),
      flops_reduction: res[0]!.flopsReduction,
      minority_share: counts.slice(-5).reduce((a, b) => a + b, 0) / train.n,
      seeds: cfg.seeds,
      raw_drop_max: Math.max(
        ...CRITERIA.map((c) => mean(res.map((r) => r.base.bacc - r.byCriterion[c].baccRaw))),
      ),
    };
    for (const c of CRITERIA) {
      scalars[`bacc_${c}`] = mean(of(c, 'bacc'));
      scalars[`f1_${c}`] = mean(of(c, 'f1'));
      scalars[`bacc_raw_${c}`] = mean(of(c, 'baccRaw'));
    }
    for (const c of ['l1', 'hrank'] as const)
      Object.assign(scalars, gapScalars(`gain_${c}`, of('beta', 'bacc'), of(c, 'bacc')));
    Object.assign(
      scalars,
      gapScalars(
        'beta_vs_base',
        of('beta', 'bacc'),
        res.map((r) => r.base.bacc),
      ),
    );
    const rows = done.flatMap(({ cell, result }) =>
      CRITERIA.map((criterion) => ({ seed: cell.seed, criterion, ...result.byCriterion[criterion] })),
    );
    return {
      scalars,
      series: { cells: rows, class_counts: counts.map((n, c) => ({ class: c, images: n })) },
      tables: [
        table(
          'criteria',
          `Balanced test accuracy and macro-F1 after removing ${pct(cfg.pruneRatio, 0)} of the conv filters (FLOPs −${pct(scalars.flops_reduction, 0)}), mean over ${cfg.seeds} seeds`,
          ['model', 'balanced acc (fine-tuned)', 'macro-F1', 'balanced acc before fine-tuning'],
          [
            ['unpruned', pct(scalars.bacc_base), fmt(scalars.f1_base), '—'],
            ...CRITERIA.map((c) => [
              c,
              pct(scalars[`bacc_${c}`]),
              fmt(scalars[`f1_${c}`]),
              pct(scalars[`bacc_raw_${c}`]),
            ]),
          ],
        ),
        table(
          'classes',
          'Training images per class (imbalanced subset)',
          ['class', 'images'],
          counts.map((n, c) => [c, n]),
        ),
      ],
    };
  },
});
