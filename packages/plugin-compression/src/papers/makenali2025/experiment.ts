import { defineExperiment, type Scalars, scalarKeys, z } from '@paperlab/core';
import {
  claimsFor,
  fmt,
  gapScalars,
  mean,
  pairedGap,
  pct,
  pick,
  points,
  table,
  verdictOf,
  type WithSem,
} from '@paperlab/core/kit';
import { conditionAndGapVerdict } from '../../claims/intervals.js';
import { epochsField, seedsField, smallCnnConfig, trainingConfig } from '../../config/fields.js';
import { imageDataConfig, loadImageData } from '../../data/images.js';
import { runMethodSeeds } from '../../train/cells.js';
import { type Cell, METHODS, type Method, runMethod } from './methods.js';

const config = z.strictObject({
  ...imageDataConfig,
  trainSize: imageDataConfig.trainSize.default(4000),
  ...smallCnnConfig({ filters: [16, 32], hidden: 64 }),
  ...trainingConfig({ epochs: 8, batchSize: 100, lr: 2e-3 }),
  epochs: epochsField(8, 2).describe('training epochs of every method (equal budget)'),
  quantEpochs: epochsField(3).describe('PPQ: epochs of quantisation-aware fine-tuning after pruning'),
  bits: z
    .union([z.literal(2), z.literal(4)])
    .default(4)
    .describe('bits of weights (APoT / uniform) and activations'),
  pruneRatio: z
    .number()
    .min(0)
    .max(0.9)
    .default(0.4)
    .describe('fraction of the filters of each conv layer removed'),
  seeds: seedsField(3),
});

/** Config of compression/makenali2025. */
export type Makenali2025Config = z.infer<typeof config>;

const key = (m: Method) => m.replace('-', '_') as Snake;
type Snake = 'fp' | 'spq' | 'ppq' | 'spq_l1' | 'spq_uniform' | 'prune_only' | 'quant_only';
type Scalar =
  | `${'acc' | 'bytes' | 'bops'}_${Snake}`
  | WithSem<`${'spq' | 'ppq'}_loss`>
  | 'size_ratio_spq'
  | 'bops_ratio_spq'
  | 'size_ratio_ppq'
  | 'bops_ratio_ppq'
  | 'spq_vs_quant_bytes'
  | WithSem<'spq_vs_quant_acc'>
  | 'fp_acc_min'
  | 'seeds';

const claim = claimsFor<Makenali2025Config, Scalar>();
const fpTrained = claim.trained('fp_acc_min', 0.8, 'the float32 baseline');
const threeSeeds = claim.atLeast('seeds', 3, 'seeds');

/** compression/makenali2025: Integrating Pruning with Quantization for Efficient Deep Neural Networks Compression. */
export const makenali2025 = defineExperiment({
  id: 'compression/makenali2025',
  paper: {
    title: 'Integrating Pruning with Quantization for Efficient Deep Neural Networks Compression',
    authors: 'Sara Makenali, Babak Rokh, Ali Azarpeyvand',
    year: 2025,
    url: 'https://arxiv.org/abs/2509.04244',
  },
  summary:
    'A small CNN on 2×2-pooled Fashion-MNIST is compressed by geometric-median filter pruning (40% of each conv ' +
    'layer’s filters, soft-pruned every epoch, then removed for good) combined with 4-bit APoT weights and 4-bit ' +
    'activations — simultaneously during training (SPQ) or prune-then-quantise (PPQ) — against the float model, ' +
    'each technique alone, L1-norm pruning and uniform quantisation, all with the same initialisation, batches and ' +
    'epochs. Size is measured as packed bytes; BOPs are counted on the physically pruned net.',
  config,
  presets: {
    smoke: {
      trainSize: 400,
      testSize: 200,
      filters: [4, 8],
      hidden: 16,
      epochs: 3,
      quantEpochs: 1,
      batchSize: 50,
      lr: 0.01,
      seeds: 1,
    },
    paper: {},
  },
  scalars: scalarKeys<Scalar>(),
  claims: [
    claim.beats({
      id: 'spq-minimal-loss',
      kind: 'paper',
      statement:
        'Simultaneous pruning and APoT quantisation (SPQ) compresses the model with minimal accuracy loss',
      source: {
        quote:
          'our proposed approaches achieve effective model compression with minimal accuracy degradation',
        where: 'abstract; §IV (CIFAR-10 ResNets, VGG)',
        value: 'up to ~16× smaller and ~126× fewer bit operations, accuracy preserved or slightly improved',
        restated: '“minimal” = SPQ − float32 test accuracy > −1 point by 2 s.e. (paired over seeds)',
      },
      requires: [threeSeeds, fpTrained],
      gap: 'spq_loss',
      sem: 'spq_loss_sem',
      margin: -0.01,
      a: 'SPQ',
      b: 'float32',
      what: 'test accuracy',
      format: points,
      detail: (s) =>
        `${pct(s.acc_fp)} → ${pct(s.acc_spq)} at ${fmt(s.size_ratio_spq, 1)}× fewer bytes, ${fmt(s.bops_ratio_spq, 0)}× fewer BOPs`,
    }),
    claim.beats({
      id: 'ppq-minimal-loss',
      kind: 'paper',
      statement:
        'Pruning first, then quantising the pruned model (PPQ) also compresses it with minimal accuracy loss',
      source: {
        quote:
          'pruning is performed first to remove less important parameters, followed by quantization of the pruned model using low-bit representations',
        where: 'abstract; §III (second approach), §IV',
        restated: 'PPQ − float32 test accuracy > −1 point by 2 s.e. (paired over seeds), same total epochs',
      },
      requires: [threeSeeds, fpTrained],
      gap: 'ppq_loss',
      sem: 'ppq_loss_sem',
      margin: -0.01,
      a: 'PPQ',
      b: 'float32',
      what: 'test accuracy',
      format: points,
      detail: (s) => `${pct(s.acc_fp)} → ${pct(s.acc_ppq)} at ${fmt(s.size_ratio_ppq, 1)}× fewer bytes`,
    }),
    claim.custom({
      id: 'combined-beats-single',
      kind: 'paper',
      statement:
        'Combining pruning with quantisation compresses beyond quantisation alone at no real accuracy cost',
      source: {
        quote: 'combining these two techniques can yield even greater compression benefits',
        where: 'abstract',
        restated:
          'SPQ’s measured bytes ≤ 0.75 × quantisation-only’s, and SPQ − quantisation-only accuracy > −1 point by 2 s.e.',
      },
      requires: [threeSeeds, fpTrained],
      rule: {
        text: 'bytes(SPQ)/bytes(quant-only) ≤ 0.75 and accuracy gap > −1 point by 2 s.e.',
        params: { maxBytesRatio: 0.75, margin: -0.01, k: 2 },
      },
      check: (s) => {
        const small = s.spq_vs_quant_bytes <= 0.75;
        return {
          verdict: conditionAndGapVerdict(small, s.spq_vs_quant_acc, s.spq_vs_quant_acc_sem, -0.01),
          measured: `bytes ratio ${fmt(s.spq_vs_quant_bytes)}; accuracy gap ${points(s.spq_vs_quant_acc, s.spq_vs_quant_acc_sem)}`,
        };
      },
    }),
    claim.custom({
      id: 'compression-factors',
      kind: 'control',
      statement:
        'Control: the compressed nets really are small — measured bytes ≥ 8× and counted BOPs ≥ 50× below float32 (SPQ and PPQ)',
      rule: {
        text: 'size ratio ≥ 8 and BOPs ratio ≥ 50 for both SPQ and PPQ',
        params: { minSize: 8, minBops: 50 },
      },
      check: (s) => ({
        verdict: verdictOf(
          Math.min(s.size_ratio_spq, s.size_ratio_ppq) >= 8 &&
            Math.min(s.bops_ratio_spq, s.bops_ratio_ppq) >= 50,
        ),
        measured: `SPQ ${fmt(s.size_ratio_spq, 1)}× bytes, ${fmt(s.bops_ratio_spq, 0)}× BOPs; PPQ ${fmt(s.size_ratio_ppq, 1)}×, ${fmt(s.bops_ratio_ppq, 0)}×`,
      }),
    }),
    claim.inRange({
      id: 'float-trains',
      kind: 'control',
      statement: 'Control: the float32 CNN reaches 80% test accuracy in every seed',
      value: 'fp_acc_min',
      range: [0.8, 1],
      label: 'lowest float32 test accuracy',
    }),
  ],
  datasets: (cfg) => [cfg.dataset],
  async run(ctx, cfg) {
    const data = await loadImageData(ctx.data, cfg);
    const done = await runMethodSeeds(
      ctx,
      cfg.seeds,
      METHODS,
      (method, seed) => runMethod(ctx, cfg, data, method, seed),
      (r) => `${pct(r.acc)}, ${r.bytes} B`,
      (r) => ({ acc: r.acc, bytes: r.bytes }),
    );
    const by = (m: Method, k: keyof Cell) => pick(done, { method: m }).map((r) => r[k]);
    const scalars: Scalars<Scalar> = { seeds: cfg.seeds, fp_acc_min: Math.min(...by('fp', 'acc')) };
    for (const m of METHODS) {
      scalars[`acc_${key(m)}`] = mean(by(m, 'acc'));
      scalars[`bytes_${key(m)}`] = mean(by(m, 'bytes'));
      scalars[`bops_${key(m)}`] = mean(by(m, 'bops'));
    }
    for (const m of ['spq', 'ppq'] as const) {
      Object.assign(scalars, gapScalars(`${m}_loss`, by(m, 'acc'), by('fp', 'acc')));
      scalars[`size_ratio_${m}`] = scalars.bytes_fp! / scalars[`bytes_${m}`]!;
      scalars[`bops_ratio_${m}`] = scalars.bops_fp! / scalars[`bops_${m}`]!;
    }
    Object.assign(scalars, gapScalars('spq_vs_quant_acc', by('spq', 'acc'), by('quant-only', 'acc')));
    scalars.spq_vs_quant_bytes = scalars.bytes_spq! / scalars.bytes_quant_only!;
    const rows = done.map(({ cell, result }) => ({ ...cell, ...result }));
    const gap = (a: Method, b: Method) => {
      const g = pairedGap(by(a, 'acc'), by(b, 'acc'));
      return points(g.mean, g.sem);
    };
    return {
      scalars,
      series: { cells: rows },
      tables: [
        table(
          'methods',
          'Test accuracy, measured bytes (packed weights + scales + float32 biases) and counted BOPs (mean over seeds)',
          ['method', 'test accuracy', 'bytes', 'size ÷', 'BOPs', 'BOPs ÷'],
          METHODS.map((m) => [
            m,
            pct(scalars[`acc_${key(m)}`]),
            Math.round(scalars[`bytes_${key(m)}`]!),
            fmt(scalars.bytes_fp! / scalars[`bytes_${key(m)}`]!, 1),
            Math.round(scalars[`bops_${key(m)}`]!),
            fmt(scalars.bops_fp! / scalars[`bops_${key(m)}`]!, 1),
          ]),
        ),
        table(
          'ablations',
          'Paired accuracy gaps (not claims of the paper’s abstract; the comparisons its method section motivates)',
          ['comparison', 'gap'],
          [
            ['SPQ − PPQ (simultaneous vs sequential)', gap('spq', 'ppq')],
            ['SPQ − SPQ with L1 pruning (geometric median vs L1)', gap('spq', 'spq-l1')],
            ['SPQ − SPQ with uniform 4-bit (APoT vs uniform)', gap('spq', 'spq-uniform')],
            ['SPQ − pruning only', gap('spq', 'prune-only')],
            ['SPQ − quantisation only', gap('spq', 'quant-only')],
          ],
        ),
      ],
    };
  },
});
