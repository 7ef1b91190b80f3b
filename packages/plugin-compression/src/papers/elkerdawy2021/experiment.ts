import { defineExperiment, type RunContext, type Scalars, scalarKeys, z } from '@paperlab/core';
import { headOf, type ImageSplits, type LabelledArrays } from '@paperlab/core/data';
import {
  claimsFor,
  fmt,
  mean,
  pairedGap,
  pct,
  points,
  table,
  type WithSem,
  withSem,
} from '@paperlab/core/kit';
import type { LayerSpec } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { epochsField, seedsField, trainingConfig, widthSchema } from '../../config/fields.js';
import { netCost } from '../../cost/accounting.js';
import { imageDataConfig, SMOKE_IMAGES } from '../../data/images.js';
import { CompressNet } from '../../nets/compressNet.js';
import { trainInRun } from '../../nets/zoo.js';
import { l1Scores, topUnits } from '../../prune/criteria.js';
import { gateHooks, MaskPredictors, massMasks, trainMaskPredictors } from '../../prune/dynamic.js';
import { pruneUnits } from '../../prune/structured.js';
import { runImageSeeds } from '../../train/cells.js';
import { accuracy } from '../../train/evaluate.js';

const config = z.strictObject({
  ...imageDataConfig,
  trainSize: imageDataConfig.trainSize.default(4000),
  filters: z.tuple([widthSchema(), widthSchema(), widthSchema()]).default([16, 32, 32]),
  ...trainingConfig({ epochs: 12, batchSize: 100, lr: 2e-3 }),
  fineTuneEpochs: epochsField(3).describe('fine-tuning epochs after gating / pruning (same for both)'),
  headEpochs: epochsField(3).describe('epochs of mask-predictor training (backbone frozen)'),
  tau: z
    .number()
    .gt(0)
    .lt(1)
    .default(0.8)
    .describe('FTWT’s heatmap-mass threshold: keep the filters carrying this share'),
  seeds: seedsField(3),
});

/** Config of compression/elkerdawy2021. */
export type Elkerdawy2021Config = z.infer<typeof config>;

type Scalar =
  | `acc_${'full' | 'dynamic' | 'static' | 'narrow'}`
  | `flops_${'full' | 'dynamic' | 'static' | 'narrow'}`
  | WithSem<'gain_static' | 'gain_narrow' | 'drop_full'>
  | 'flops_reduction'
  | 'flops_match'
  | 'head_balanced_acc'
  | 'active_frac'
  | 'seeds';

const claim = claimsFor<Elkerdawy2021Config, Scalar>();
const threeSeeds = claim.atLeast('seeds', 3, 'seeds');
const fullTrained = claim.trained('acc_full', 0.8, 'the full CNN');

/** The CNN: conv → pool → conv → pool → conv → global average pool → dense; the 2nd and 3rd convs are gated. */
export function ftwtCnn(f: readonly [number, number, number], classes: number): LayerSpec[] {
  return [
    { type: 'conv2d', filters: f[0], kernel: 3, activation: 'relu' },
    { type: 'maxPool', size: 2 },
    { type: 'conv2d', filters: f[1], kernel: 3, activation: 'relu' },
    { type: 'maxPool', size: 2 },
    { type: 'conv2d', filters: f[2], kernel: 3, activation: 'relu' },
    { type: 'globalAvgPool' },
    { type: 'dense', units: classes },
  ];
}
const GATED = [2, 4] as const;

type Cell = Record<`acc_${'full' | 'dynamic' | 'static' | 'narrow'}`, number> &
  Record<`flops_${'full' | 'dynamic' | 'static' | 'narrow'}`, number> & {
    headBalanced: number;
    active: number[];
  };

/**
 * Mean FLOPs of the gated net per test input: gated conv l computes a_l(x) filters, reading only the a_{l−1}(x)
 * active channels of a gated predecessor; the heads (C_in × C_out each) are added. `active` maps layer → per-input counts.
 */
function dynamicFlops(net: CompressNet, active: Map<number, Int32Array>, n: number): number {
  const full = netCost(net.specs, net.inputShape);
  let total = 0;
  for (let i = 0; i < n; i++) {
    let macs = 0;
    for (const c of full.layers) {
      const layer = net.layers[c.layer]!;
      if (!layer.kernel) continue;
      const out = layer.kernel.shape.at(-1)!;
      const inCh = layer.spec.type === 'conv2d' ? layer.inShape[2]! : layer.inShape[0]!;
      const aOut = active.get(c.layer)?.[i] ?? out;
      const prev = [...active.keys()].filter((g) => g < c.layer).pop();
      const aIn = prev !== undefined ? active.get(prev)![i]! : inCh;
      macs += c.macs * (aOut / out) * (aIn / inCh);
    }
    total += macs;
  }
  let heads = 0;
  for (const l of active.keys()) heads += net.layers[l]!.inShape[2]! * net.layers[l]!.outShape[2]!;
  return 2 * (total / n + heads);
}

/** Balanced accuracy of the heads' keep/drop decisions against the τ-mass targets on `data`. */
function headBalancedAccuracy(
  net: CompressNet,
  heads: MaskPredictors,
  data: LabelledArrays,
  tau: number,
): number {
  const x = tf.tensor(data.x, [data.n, ...data.shape]);
  const acts = net.activations(x);
  let tp = 0;
  let tn = 0;
  let p = 0;
  let q = 0;
  for (const l of heads.heads.keys()) {
    const target = massMasks(acts[l]!, tau);
    const logits = heads.logits(l, acts[l - 1]!);
    const z = logits.dataSync();
    logits.dispose();
    for (let i = 0; i < target.length; i++) {
      if (target[i] === 1) {
        p++;
        if (z[i]! > 0) tp++;
      } else {
        q++;
        if (z[i]! <= 0) tn++;
      }
    }
  }
  tf.dispose([x, ...acts]);
  return ((p ? tp / p : 1) + (q ? tn / q : 1)) / 2;
}

async function runSeed(
  ctx: RunContext,
  cfg: Elkerdawy2021Config,
  data: ImageSplits,
  seed: number,
): Promise<Cell> {
  const classes = data.train.classes;
  const train = (net: CompressNet, epochs: number, tag: string) =>
    trainInRun(ctx, net, data.train, { ...cfg, epochs }, `${tag}-s${seed}`);
  const net = CompressNet.build(
    ftwtCnn(cfg.filters, classes),
    data.train.shape,
    ctx.rng.split(`init-s${seed}`),
    'cnn',
  );
  const heads = MaskPredictors.build(net, GATED, ctx.rng.split(`heads-s${seed}`));
  const disposables: Array<{ dispose(): void }> = [net, heads];
  try {
    await train(net, cfg.epochs, 'pretrain');
    const accFull = accuracy(net, data.test);
    const flopsFull = netCost(net.specs, net.inputShape).flops;
    await trainMaskPredictors(net, heads, data.train, {
      tau: cfg.tau,
      epochs: cfg.headEpochs,
      batchSize: cfg.batchSize,
      lr: cfg.lr,
      order: ctx.rng.split(`heads-order-s${seed}`),
      signal: ctx.signal,
    });
    const headBalanced = headBalancedAccuracy(net, heads, headOf(data.test, 500), cfg.tau);
    // Dynamic: the backbone is fine-tuned with the heads' masks in place (heads frozen: FTWT's decoupled mode).
    const dyn = net.clone('dynamic');
    disposables.push(dyn);
    dyn.hooks = gateHooks(heads);
    await train(dyn, cfg.fineTuneEpochs, 'finetune');
    const counts = new Map<number, Int32Array>(GATED.map((l) => [l, new Int32Array(data.test.n)]));
    let offset = 0;
    dyn.hooks = gateHooks(heads, (l, mask, c) => {
      const rows = mask.length / c;
      const arr = counts.get(l)!;
      for (let i = 0; i < rows; i++)
        arr[offset + i] = mask.subarray(i * c, (i + 1) * c).reduce((s, v) => s + v, 0);
      if (l === GATED[GATED.length - 1]) offset += rows;
    });
    const accDynamic = accuracy(dyn, data.test);
    const flopsDynamic = dynamicFlops(dyn, counts, data.test.n);
    const active = GATED.map((l) => mean(counts.get(l)!));
    // Static: L1-norm filter pruning of the pretrained net to the dynamic net's mean widths, same fine-tuning.
    const keep = new Map(
      GATED.map((l, i) => {
        const k = net.layers[l]!.kernel!;
        const s = l1Scores(k.dataSync() as Float32Array, k.shape.at(-1)!);
        return [l, topUnits(s, Math.max(1, Math.round(active[i]!)))] as const;
      }),
    );
    const stat = pruneUnits(net, keep);
    disposables.push(stat);
    await train(stat, cfg.fineTuneEpochs, 'finetune');
    const accStatic = accuracy(stat, data.test);
    const flopsStatic = netCost(stat.specs, stat.inputShape).flops;
    // A dense net of the same (static) widths trained from scratch with the whole budget.
    const narrowF: [number, number, number] = [cfg.filters[0], keep.get(2)!.length, keep.get(4)!.length];
    const narrow = CompressNet.build(
      ftwtCnn(narrowF, classes),
      data.train.shape,
      ctx.rng.split(`narrow-s${seed}`),
      'narrow',
    );
    disposables.push(narrow);
    await train(narrow, cfg.epochs + cfg.fineTuneEpochs, 'pretrain');
    return {
      acc_full: accFull,
      acc_dynamic: accDynamic,
      acc_static: accStatic,
      acc_narrow: accuracy(narrow, data.test),
      flops_full: flopsFull,
      flops_dynamic: flopsDynamic,
      flops_static: flopsStatic,
      flops_narrow: netCost(narrow.specs, narrow.inputShape).flops,
      headBalanced,
      active: active.map((a, i) => a / net.layers[GATED[i]!]!.outShape[2]!),
    };
  } finally {
    for (const d of disposables) d.dispose();
  }
}

/** compression/elkerdawy2021: Fire Together Wire Together — dynamic pruning with self-supervised mask prediction. */
export const elkerdawy2021 = defineExperiment({
  id: 'compression/elkerdawy2021',
  paper: {
    title: 'Fire Together Wire Together: A Dynamic Pruning Approach with Self-Supervised Mask Prediction',
    authors: 'Sara Elkerdawy, Mostafa Elhoushi, Hong Zhang, Nilanjan Ray',
    year: 2021,
    url: 'https://arxiv.org/abs/2110.08232',
    venue: 'CVPR 2022',
  },
  summary:
    'A three-conv CNN on 2×2-pooled Fashion-MNIST gets a mask predictor before its 2nd and 3rd convs (global max ' +
    'pooling of the previous layer + a 1×1 conv), trained as binary classification of which filters carry 80% of the ' +
    'layer’s activation mass on each input; the backbone is then fine-tuned with the predicted per-input masks. At ' +
    'the same mean widths (≈ equal FLOPs) it is compared with static L1-norm filter pruning given the same ' +
    'fine-tuning, and with a narrow CNN of those widths trained from scratch.',
  config,
  presets: {
    smoke: {
      ...SMOKE_IMAGES,
      filters: [4, 6, 6],
      epochs: 2,
      fineTuneEpochs: 1,
      headEpochs: 1,
      batchSize: 50,
      seeds: 1,
    },
    paper: {},
  },
  scalars: scalarKeys<Scalar>(),
  claims: [
    claim.beats({
      id: 'dynamic-beats-static',
      kind: 'paper',
      statement:
        'At equal FLOPs, per-input (dynamic) filter selection is more accurate than static filter pruning',
      source: {
        quote:
          'we propose to predict a mask to process k filters in a layer based on the activation of its previous layer … On CIFAR, we reach similar accuracy to SOTA methods with 15% and 24% higher FLOPs reduction',
        where: 'abstract; §5, Tables 1–3',
        value: '15% and 24% higher FLOPs reduction at similar accuracy (CIFAR)',
        restated:
          'the same comparison at matched FLOPs: test-accuracy gap dynamic − static (L1 pruned to the dynamic net’s mean widths, same fine-tuning)',
      },
      requires: [
        threeSeeds,
        fullTrained,
        claim.active(
          (s) => 1 - Math.abs(s.flops_match - 1),
          0.85,
          'a FLOPs match (static within 15% of dynamic)',
        ),
      ],
      gap: 'gain_static',
      sem: 'gain_static_sem',
      a: 'dynamic',
      b: 'static',
      what: 'test accuracy',
      format: points,
      detail: (s) =>
        `${pct(s.acc_dynamic)} vs ${pct(s.acc_static)}; FLOPs ${fmt(s.flops_dynamic / 1e3, 0)}k vs ${fmt(s.flops_static / 1e3, 0)}k`,
    }),
    claim.beats({
      id: 'dynamic-keeps-accuracy',
      kind: 'paper',
      statement:
        'Dynamic pruning removes a large share of the FLOPs with a small accuracy drop (within 1 point)',
      source: {
        quote: 'we achieve lower drop in accuracy with up to 13% improvement in FLOPs reduction',
        where: 'abstract (ImageNet); Table 1 (CIFAR)',
        restated: 'dynamic − full test accuracy > −1 point by 2 s.e., with FLOPs reduction ≥ 25% required',
      },
      requires: [threeSeeds, fullTrained, claim.active('flops_reduction', 0.25, 'pruning (FLOPs reduction)')],
      gap: 'drop_full',
      sem: 'drop_full_sem',
      margin: -0.01,
      a: 'dynamic',
      b: 'full',
      what: 'test accuracy',
      format: points,
      detail: (s) => `FLOPs −${pct(s.flops_reduction, 0)}`,
    }),
    claim.inRange({
      id: 'heads-predict-masks',
      kind: 'control',
      statement:
        'Control: the mask predictors learned their task (balanced accuracy of keep/drop vs the τ-mass targets ≥ 0.7)',
      value: 'head_balanced_acc',
      range: [0.7, 1],
      label: 'head balanced accuracy',
    }),
    claim.inRange({
      id: 'full-trains',
      kind: 'control',
      statement: 'Control: the full CNN reaches 80% test accuracy',
      value: 'acc_full',
      range: [0.8, 1],
      label: 'full CNN test accuracy',
    }),
  ],
  datasets: (cfg) => [cfg.dataset],
  async run(ctx, cfg) {
    const done = await runImageSeeds(
      ctx,
      cfg,
      (data, seed) => runSeed(ctx, cfg, data, seed),
      (r) => `dynamic ${pct(r.acc_dynamic)}, static ${pct(r.acc_static)}`,
    );
    const res = done.map((d) => d.result);
    const keys = ['full', 'dynamic', 'static', 'narrow'] as const;
    const scalars: Scalars<Scalar> = { seeds: cfg.seeds };
    for (const k of keys) {
      scalars[`acc_${k}`] = mean(res.map((r) => r[`acc_${k}`]));
      scalars[`flops_${k}`] = mean(res.map((r) => r[`flops_${k}`]));
    }
    const gap = (a: 'dynamic', b: 'static' | 'narrow' | 'full') =>
      pairedGap(
        res.map((r) => r[`acc_${a}`]),
        res.map((r) => r[`acc_${b}`]),
      );
    const gs = gap('dynamic', 'static');
    const gn = gap('dynamic', 'narrow');
    const gf = gap('dynamic', 'full');
    Object.assign(scalars, {
      ...withSem('gain_static', gs),
      ...withSem('gain_narrow', gn),
      ...withSem('drop_full', gf),
      flops_reduction: 1 - scalars.flops_dynamic! / scalars.flops_full!,
      flops_match: scalars.flops_static! / scalars.flops_dynamic!,
      head_balanced_acc: mean(res.map((r) => r.headBalanced)),
      active_frac: mean(res.flatMap((r) => r.active)),
    });
    const rows = done.flatMap(({ cell, result }) =>
      keys.map((k) => ({ seed: cell.seed, model: k, acc: result[`acc_${k}`], flops: result[`flops_${k}`] })),
    );
    return {
      scalars,
      series: { cells: rows },
      tables: [
        table(
          'models',
          `Test accuracy and FLOPs per image (mean over ${cfg.seeds} seeds); gated layers keep ${pct(scalars.active_frac, 0)} of their filters on average`,
          ['model', 'test accuracy', 'FLOPs', 'FLOPs ÷ full'],
          keys.map((k) => [
            k,
            pct(scalars[`acc_${k}`]),
            Math.round(scalars[`flops_${k}`]!),
            fmt(scalars[`flops_${k}`]! / scalars.flops_full!, 2),
          ]),
        ),
        table(
          'gaps',
          'Paired accuracy gaps',
          ['comparison', 'gap'],
          [
            ['dynamic − static (L1, same widths)', points(gs.mean, gs.sem)],
            ['dynamic − narrow from scratch', points(gn.mean, gn.sem)],
            ['dynamic − full', points(gf.mean, gf.sem)],
          ],
        ),
      ],
    };
  },
});
