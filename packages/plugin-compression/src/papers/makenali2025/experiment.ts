import { defineExperiment, type Rng, type RunContext, type Scalars, scalarKeys, z } from '@paperlab/core';
import type { ImageSplits } from '@paperlab/core/data';
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
import { createFitOptimizer } from '@paperlab/core/train';
import { conditionAndGapVerdict } from '../../claims/intervals.js';
import { epochsField, seedsField, smallCnnConfig, trainingConfig } from '../../config/fields.js';
import { type LayerBits, netCost } from '../../cost/accounting.js';
import { imageDataConfig, loadImageData } from '../../data/images.js';
import { CompressNet, type ForwardHooks } from '../../nets/compressNet.js';
import { smallCnn, trainClassifier } from '../../nets/zoo.js';
import { softPruneStep, type WeightCriterion } from '../../prune/soft.js';
import { pruneUnits } from '../../prune/structured.js';
import { apotLevels, fakeQuantUniform, quantizeWeight, type WeightQuantizer } from '../../quant/fakeQuant.js';
import { packedByteLength, packLevels, packWeights } from '../../quant/packed.js';
import { runMethodSeeds } from '../../train/cells.js';
import { accuracy } from '../../train/evaluate.js';

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

const METHODS = ['fp', 'spq', 'ppq', 'spq-l1', 'spq-uniform', 'prune-only', 'quant-only'] as const;
type Method = (typeof METHODS)[number];
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

/** What each method does: pruning criterion (or none), weight quantiser (or none), and the schedule. */
function recipe(
  m: Method,
  bits: number,
): { prune: WeightCriterion | null; quant: WeightQuantizer | null; sequential: boolean } {
  const apot: WeightQuantizer = { kind: 'apot', bits, perChannel: true };
  const uniform: WeightQuantizer = { kind: 'uniform', bits, perChannel: true };
  switch (m) {
    case 'fp':
      return { prune: null, quant: null, sequential: false };
    case 'spq':
      return { prune: 'geometric-median', quant: apot, sequential: false };
    case 'ppq':
      return { prune: 'geometric-median', quant: apot, sequential: true };
    case 'spq-l1':
      return { prune: 'l1', quant: apot, sequential: false };
    case 'spq-uniform':
      return { prune: 'geometric-median', quant: uniform, sequential: false };
    case 'prune-only':
      return { prune: 'geometric-median', quant: null, sequential: false };
    case 'quant-only':
      return { prune: null, quant: apot, sequential: false };
  }
}

/** Quantisation-aware hooks: weights through `q`, the ReLU outputs of every weighted layer but the last through b-bit uniform (per-batch range). */
function qatHooks(net: CompressNet, q: WeightQuantizer, bits: number): ForwardHooks {
  const weighted = net.weightedLayers();
  const inner = new Set(weighted.slice(0, -1));
  return {
    weight: (_, k) => quantizeWeight(k, q),
    output: (l, y) => (inner.has(l) ? fakeQuantUniform(y, { bits, symmetric: false }) : y),
  };
}

/** Packed bytes of the net's weights under quantiser `q` (codes + per-channel scales) plus float32 biases. */
function measuredBytes(net: CompressNet, q: WeightQuantizer | null): number {
  let bytes = 0;
  for (const l of net.weightedLayers()) {
    const k = net.layers[l]!.kernel!;
    const cols = k.shape.at(-1)!;
    const rows = k.size / cols;
    const w = k.dataSync() as Float32Array;
    if (!q) bytes += w.byteLength;
    else if (q.kind === 'apot') bytes += packedByteLength(packLevels(w, rows, cols, apotLevels(q.bits)));
    else bytes += packedByteLength(packWeights(w, rows, cols, q.kind === 'uniform' ? (q.bits as 2 | 4) : 4));
    bytes += 4 * (net.layers[l]!.bias?.size ?? 0);
  }
  return bytes;
}

type Cell = { acc: number; bytes: number; bops: number; params: number };

/** Trains one method on one seed (same init, same batches for all), prunes for good, and measures it. */
async function runMethod(
  ctx: RunContext,
  cfg: Makenali2025Config,
  data: ImageSplits,
  m: Method,
  seed: number,
): Promise<Cell> {
  const r = recipe(m, cfg.bits);
  const specs = smallCnn({ filters: cfg.filters, hidden: cfg.hidden, classes: data.train.classes });
  let net = CompressNet.build(specs, data.train.shape, ctx.rng.split(`init-s${seed}`), 'cnn');
  const convs = net.weightedLayers().filter((l) => net.specs[l]!.type === 'conv2d');
  const order: Rng = ctx.rng.split(`order-s${seed}`);
  const pruneEpochs = r.sequential ? cfg.epochs - cfg.quantEpochs : cfg.epochs;
  let optimizer = createFitOptimizer({ type: 'adam', lr: cfg.lr });
  let kept: Map<number, number[]> | null = null;
  try {
    if (r.quant && !r.sequential) net.hooks = qatHooks(net, r.quant, cfg.bits);
    for (let t = 0; t < cfg.epochs; t++) {
      if (r.sequential && t === pruneEpochs) {
        // PPQ: the pruned float model is cut down for good, then fine-tuned with quantisation.
        const small = pruneUnits(net, kept!);
        net.dispose();
        net = small;
        kept = null;
        optimizer.dispose();
        optimizer = createFitOptimizer({ type: 'adam', lr: cfg.lr });
        net.hooks = qatHooks(net, r.quant!, cfg.bits);
      }
      await trainClassifier(net, data.train, {
        epochs: 1,
        batchSize: cfg.batchSize,
        lr: cfg.lr,
        order: order.split(`epoch-${t}`),
        signal: ctx.signal,
        optimizer,
      });
      if (r.prune && t < pruneEpochs) kept = softPruneStep(net, convs, cfg.pruneRatio, r.prune);
    }
    if (kept) {
      const hooks = net.hooks;
      const small = pruneUnits(net, kept);
      net.dispose();
      net = small;
      net.hooks = r.quant ? qatHooks(net, r.quant, cfg.bits) : hooks;
    }
    const weighted = net.weightedLayers();
    const bits = new Map<number, LayerBits>(
      weighted.map((l, i) => [
        l,
        r.quant ? { weight: cfg.bits, activation: i === 0 ? 8 : cfg.bits } : { weight: 32, activation: 32 },
      ]),
    );
    const cost = netCost(net.specs, net.inputShape, bits);
    return {
      acc: accuracy(net, data.test),
      bytes: measuredBytes(net, r.quant),
      bops: cost.bops,
      params: net.paramCount(),
    };
  } finally {
    optimizer.dispose();
    net.dispose();
  }
}

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
